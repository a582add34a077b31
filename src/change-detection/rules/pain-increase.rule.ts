// PAIN_INCREASE — warning. The pain score (0–10) rose by at least painIncreasePoints AND at least
// painIncreasePercent; from a reference of 0 any rise of the required points counts.
// - Reading confirmation on (the default): over the deposit's pain readings (readings.ts), the
//   current score is past painHighPoints and painHighPercent against the median of all earlier
//   readings, or the current and the previous reading are both past the ordinary threshold against
//   the median of the readings before them. After a physician's decision only readings from the one
//   current at the decision on count.
// - Off: the reference is the previous evaluation (the last of an earlier visit, any method) and
//   one reading decides; a missing score on either side keeps it quiet.
// The current evaluation must carry a score.

import { currentOf, previousOf, truncateHistoryFrom } from '../history';
import {
  confirmedPainEvidence,
  confirmedPainRise,
  describeConfirmedPain,
  describePainRise,
  meetsPainIncrease,
  painReadings,
  painRise,
  painRiseEvidence,
  painScoreOf,
  painThresholdEvidence,
} from '../pain';
import { readingsFrom } from '../readings';
import { escalationAction } from '../suggested-action';
import { currentTier } from '../tiers';
import type { DepositHistory, Finding, RuleContext, RuleSettings } from '../types';

function finding(deposit: DepositHistory, ctx: RuleContext, message: string, evidence: Record<string, unknown>): Finding {
  return {
    rule: 'PAIN_INCREASE',
    depositId: deposit.depositId,
    severity: 'warning',
    message,
    evidence: { ...evidence, settingsVersion: ctx.settingsVersion },
    suggestedAction: escalationAction(currentTier(ctx.treatments, ctx.visitDate, deposit.depositId).tier),
  };
}

function confirmedPainIncrease(deposit: DepositHistory, ctx: RuleContext, settings: RuleSettings): Finding | null {
  const current = currentOf(deposit.evaluations);
  if (current === null || painScoreOf(current) === null) return null;
  const readings = readingsFrom(painReadings(deposit.evaluations), deposit.decidedOn ?? null);
  const change = confirmedPainRise(readings, settings);
  if (change === null) return null;
  return finding(deposit, ctx, describeConfirmedPain(`Pain at ${deposit.label}`, deposit.evaluations, change), {
    ...confirmedPainEvidence(change),
    thresholds: painThresholdEvidence(settings),
  });
}

function previousPainIncrease(deposit: DepositHistory, ctx: RuleContext, settings: RuleSettings): Finding | null {
  const history = deposit.decidedOn ? truncateHistoryFrom(deposit.evaluations, deposit.decidedOn) : deposit.evaluations;
  const current = currentOf(history);
  const previous = previousOf(history);
  if (current === null || previous === null) return null;
  const from = painScoreOf(previous);
  const to = painScoreOf(current);
  if (from === null || to === null) return null;
  const rise = painRise(from, to);
  if (!meetsPainIncrease(rise, settings)) return null;
  return finding(deposit, ctx, `Pain at ${deposit.label} rose ${describePainRise(rise)} between ${previous.visitDate} and ${current.visitDate}`, {
    referenceKind: 'previous',
    referenceCount: 1,
    referenceEvaluationId: previous.id,
    referenceDate: previous.visitDate,
    confirmingEvaluationIds: [current.id],
    currentEvaluationId: current.id,
    currentDate: current.visitDate,
    ...painRiseEvidence(rise),
    thresholds: painThresholdEvidence(settings),
  });
}

export function painIncreaseRule(deposit: DepositHistory, ctx: RuleContext, settings: RuleSettings): Finding | null {
  return settings.readingConfirmation ? confirmedPainIncrease(deposit, ctx, settings) : previousPainIncrease(deposit, ctx, settings);
}
