// PAIN_INCREASE — the pain score (0–10) rose by at least painIncreasePoints AND at least
// painIncreasePercent from the previous evaluation (the last of an earlier visit, any method); from
// 0 any rise of the required points counts. A missing or out-of-range score on either side keeps it
// quiet. warning.

import { currentOf, previousOf } from '../history';
import { describePainRise, meetsPainIncrease, painRise, painRiseEvidence, painScoreOf } from '../pain';
import { escalationAction } from '../suggested-action';
import { currentTier } from '../tiers';
import type { DepositHistory, Finding, RuleContext, RuleSettings } from '../types';

export function painIncreaseRule(deposit: DepositHistory, ctx: RuleContext, settings: RuleSettings): Finding | null {
  const current = currentOf(deposit.evaluations);
  const previous = previousOf(deposit.evaluations);
  if (current === null || previous === null) return null;
  const from = painScoreOf(previous);
  const to = painScoreOf(current);
  if (from === null || to === null) return null;
  const rise = painRise(from, to);
  if (!meetsPainIncrease(rise, settings)) return null;
  return {
    rule: 'PAIN_INCREASE',
    depositId: deposit.depositId,
    severity: 'warning',
    message:
      `Pain at ${deposit.label} rose ${describePainRise(rise)} ` +
      `between ${previous.visitDate} and ${current.visitDate}`,
    evidence: {
      referenceKind: 'previous',
      referenceEvaluationId: previous.id,
      referenceDate: previous.visitDate,
      currentEvaluationId: current.id,
      currentDate: current.visitDate,
      ...painRiseEvidence(rise),
      thresholds: {
        painIncreasePoints: settings.painIncreasePoints,
        painIncreasePercent: settings.painIncreasePercent,
      },
      settingsVersion: ctx.settingsVersion,
    },
    suggestedAction: escalationAction(currentTier(ctx.treatments, ctx.visitDate, deposit.depositId).tier),
  };
}
