// RECURRENCE_AT_PROCEDURE_SITE — high. Fires when
// (a) a deposit is new at this visit at the site of an earlier procedure (at any visit, the first
//     one included: it is a recurrence either way), or
// (b) a deposit targeted by a procedure (lithotripsy, test or surgical excision) has grown since:
//     the current reading is at least noiseFloorMm above the smallest same-class reading dated on
//     or after the procedure's start. Only the latest procedure started on or before the current
//     reading counts, and only procedures targeting this deposit (patient-wide ones name no site).
//     After an excision with no such reading to compare with, any current reading dated after the
//     procedure of at least noiseFloorMm means the deposit reappeared. After lithotripsy without a
//     post-procedure reading the rule stays quiet: the size left behind is unknown.

import { compareDates, isOnOrBefore } from '../date-utils';
import { comparisonEvidence } from '../evidence';
import { formatChange, formatMm } from '../format';
import { currentOf, onOrAfter, sameClassHistory, smallestOf } from '../history';
import { atLeast, sizeChange } from '../size-change';
import { escalationAction } from '../suggested-action';
import { currentTier } from '../tiers';
import type { DepositHistory, EvaluationPoint, Finding, RuleContext, RuleSettings, TreatmentPoint } from '../types';

const PROCEDURE_KINDS: readonly string[] = ['lithotripsy', 'test-excision', 'surgical-excision'];
const EXCISION_KINDS: readonly string[] = ['test-excision', 'surgical-excision'];

type Recurrence = Pick<Finding, 'message' | 'evidence'>;

function latestProcedure(treatments: TreatmentPoint[], depositId: string, date: string): TreatmentPoint | null {
  const procedures = treatments
    .filter((treatment) => treatment.depositId === depositId && PROCEDURE_KINDS.includes(treatment.kind))
    .filter((treatment) => isOnOrBefore(treatment.startedOn, date))
    .sort((a, b) => compareDates(a.startedOn, b.startedOn));
  return procedures.length === 0 ? null : procedures[procedures.length - 1];
}

function procedureEvidence(procedure: TreatmentPoint): Record<string, unknown> {
  return {
    procedureTreatmentId: procedure.id,
    procedureKind: procedure.kind,
    procedureStartedOn: procedure.startedOn,
    procedureEndedOn: procedure.endedOn,
  };
}

function newAtProcedureSite(deposit: DepositHistory, current: EvaluationPoint): Recurrence {
  return {
    message:
      `New deposit ${deposit.label} (${formatMm(current.longestDiameterMm)} mm by ${current.method}) ` +
      `recorded on ${current.visitDate} at the site of an earlier procedure`,
    evidence: {
      reason: 'new-at-procedure-site',
      currentEvaluationId: current.id,
      currentDate: current.visitDate,
      currentMethod: current.method,
      currentMm: current.longestDiameterMm,
    },
  };
}

function grownSinceProcedure(
  deposit: DepositHistory,
  procedure: TreatmentPoint,
  settings: RuleSettings,
): Recurrence | null {
  const history = sameClassHistory(deposit.evaluations);
  if (history === null) return null;
  const nadir = smallestOf(onOrAfter(history.earlier, procedure.startedOn));
  if (nadir === null) return reappearedAfterExcision(deposit, procedure, history.current, settings);
  const change = sizeChange(nadir.longestDiameterMm, history.current.longestDiameterMm);
  if (change.mm <= 0 || !atLeast(change.mm, settings.noiseFloorMm)) return null;
  return {
    message:
      `${deposit.label} grew from ${formatMm(nadir.longestDiameterMm)} mm (nadir since ${procedure.kind} ` +
      `on ${procedure.startedOn}, ${nadir.visitDate}) to ${formatMm(history.current.longestDiameterMm)} mm ` +
      `(${formatChange(change.mm, change.percent)}) by ${history.current.method}`,
    evidence: {
      reason: 'growth-after-procedure',
      ...comparisonEvidence('nadir', nadir, history.current, change),
      ...procedureEvidence(procedure),
    },
  };
}

function reappearedAfterExcision(
  deposit: DepositHistory,
  procedure: TreatmentPoint,
  current: EvaluationPoint,
  settings: RuleSettings,
): Recurrence | null {
  const afterProcedure = compareDates(current.visitDate, procedure.startedOn) > 0;
  const present = current.longestDiameterMm > 0 && atLeast(current.longestDiameterMm, settings.noiseFloorMm);
  if (!EXCISION_KINDS.includes(procedure.kind) || !afterProcedure || !present) return null;
  return {
    message:
      `${deposit.label} measures ${formatMm(current.longestDiameterMm)} mm by ${current.method} on ` +
      `${current.visitDate}, after its ${procedure.kind} on ${procedure.startedOn}`,
    evidence: {
      reason: 'reappeared-after-excision',
      currentEvaluationId: current.id,
      currentDate: current.visitDate,
      currentMethod: current.method,
      currentMm: current.longestDiameterMm,
      ...procedureEvidence(procedure),
    },
  };
}

function recurrenceOf(deposit: DepositHistory, ctx: RuleContext, settings: RuleSettings): Recurrence | null {
  const current = currentOf(deposit.evaluations);
  if (current === null) return null;
  if (deposit.isNewAtThisVisit && deposit.priorProcedureSite) return newAtProcedureSite(deposit, current);
  const procedure = latestProcedure(ctx.treatments, deposit.depositId, current.visitDate);
  return procedure === null ? null : grownSinceProcedure(deposit, procedure, settings);
}

export function recurrenceAtProcedureSiteRule(
  deposit: DepositHistory,
  ctx: RuleContext,
  settings: RuleSettings,
): Finding | null {
  const recurrence = recurrenceOf(deposit, ctx, settings);
  if (recurrence === null) return null;
  return {
    rule: 'RECURRENCE_AT_PROCEDURE_SITE',
    depositId: deposit.depositId,
    severity: 'high',
    message: recurrence.message,
    evidence: { ...recurrence.evidence, noiseFloorMm: settings.noiseFloorMm, settingsVersion: ctx.settingsVersion },
    suggestedAction: escalationAction(currentTier(ctx.treatments, ctx.visitDate, deposit.depositId).tier),
  };
}
