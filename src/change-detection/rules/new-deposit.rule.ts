// NEW_DEPOSIT — a deposit first recorded at a follow-up visit (not at the patient's first visit).
// warning. Quiet for a deposit without any evaluation (malformed input: a new deposit always
// comes with its first evaluation).

import { formatMm } from '../format';
import { currentOf } from '../history';
import { escalationAction } from '../suggested-action';
import { currentTier } from '../tiers';
import type { DepositHistory, Finding, RuleContext, RuleSettings } from '../types';

export function newDepositRule(deposit: DepositHistory, ctx: RuleContext, _settings: RuleSettings): Finding | null {
  const current = currentOf(deposit.evaluations);
  if (!deposit.isNewAtThisVisit || ctx.isFirstVisitOfPatient || current === null) return null;
  return {
    rule: 'NEW_DEPOSIT',
    depositId: deposit.depositId,
    severity: 'warning',
    message:
      `New deposit ${deposit.label} (${formatMm(current.longestDiameterMm)} mm by ${current.method}) ` +
      `recorded at the follow-up visit of ${current.visitDate}`,
    evidence: {
      currentEvaluationId: current.id,
      currentDate: current.visitDate,
      currentMethod: current.method,
      currentMm: current.longestDiameterMm,
      priorProcedureSite: deposit.priorProcedureSite,
      settingsVersion: ctx.settingsVersion,
    },
    suggestedAction: escalationAction(currentTier(ctx.treatments, ctx.visitDate, deposit.depositId).tier),
  };
}
