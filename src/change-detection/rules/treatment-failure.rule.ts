// TREATMENT_FAILURE — high. The current tier (1–3; tier 0 is not a treatment to fail, tier 4 has
// no next rung) has run its minimum time at the visit (tier start + tierNMinMonths on or before the
// visit date) and since it started:
// - the deposit grew past the DEPOSIT_GROWTH thresholds, measured from the nadir of the same-class
//   evaluations dated on or after the tier's start (the current one excluded); trend confirmation
//   as in DEPOSIT_GROWTH through all given same-class evaluations, none needed at the high level.
//   Without an evaluation on or after the start there is nothing to measure growth from; or
// - the pain rose by the PAIN_INCREASE criteria from the pain at the tier's start: the last known
//   score on or before the start, else the first known one after it (the current one excluded); or
// - (patient-level, `newDepositTreatmentFailureRule`) a new deposit appeared at a follow-up visit,
//   judged against the patient-wide tier; depositId null.
// The suggested tier is tier + 1; from tier 3 the text carries the test-procedure caution.

import { addMonths, isOnOrAfter, isOnOrBefore, wholeMonthsBetween } from '../date-utils';
import { comparisonEvidence } from '../evidence';
import { assessGrowth, describeGrowth, growthThresholdEvidence, trendEvidence, type GrowthAssessment } from '../growth';
import { joinWords } from '../format';
import { beforeCurrent, currentOf, onOrAfter, sameClassHistory } from '../history';
import { describePainRise, meetsPainIncrease, painRise, painRiseEvidence, painScoreOf, type PainRise } from '../pain';
import { escalationAction } from '../suggested-action';
import { currentTier, describeTier, type CurrentTier } from '../tiers';
import type { DepositHistory, EvaluationPoint, Finding, RuleContext, RuleSettings } from '../types';

interface TierOnTrial {
  tier: number;
  since: string;
  minMonths: number;
  monthsOnTier: number;
}

function minMonthsOf(tier: number, settings: RuleSettings): number | null {
  const byTier: Record<number, number> = {
    1: settings.tier1MinMonths,
    2: settings.tier2MinMonths,
    3: settings.tier3MinMonths,
  };
  return byTier[tier] ?? null;
}

/** The current tier when it has run its minimum time at the visit; null otherwise. */
function tierOnTrial(current: CurrentTier, visitDate: string, settings: RuleSettings): TierOnTrial | null {
  const minMonths = minMonthsOf(current.tier, settings);
  if (minMonths === null || current.since === null) return null;
  if (!isOnOrBefore(addMonths(current.since, minMonths), visitDate)) return null;
  const monthsOnTier = wholeMonthsBetween(current.since, visitDate);
  return { tier: current.tier, since: current.since, minMonths, monthsOnTier };
}

function growthSinceStart(deposit: DepositHistory, since: string, settings: RuleSettings): GrowthAssessment | null {
  const history = sameClassHistory(deposit.evaluations);
  if (history === null) return null;
  const growth = assessGrowth(
    { references: onOrAfter(history.earlier, since), current: history.current, trendPoints: history.all },
    settings,
  );
  return growth !== null && growth.level !== null ? growth : null;
}

interface PainFailure {
  reference: EvaluationPoint;
  rise: PainRise;
}

function painAtStart(earlier: EvaluationPoint[], since: string): EvaluationPoint | null {
  const scored = earlier.filter((evaluation) => painScoreOf(evaluation) !== null);
  const before = scored.filter((evaluation) => isOnOrBefore(evaluation.visitDate, since));
  if (before.length > 0) return before[before.length - 1];
  return scored.find((evaluation) => isOnOrAfter(evaluation.visitDate, since)) ?? null;
}

function painSinceStart(deposit: DepositHistory, since: string, settings: RuleSettings): PainFailure | null {
  const current = currentOf(deposit.evaluations);
  const reference = painAtStart(beforeCurrent(deposit.evaluations), since);
  const to = current === null ? null : painScoreOf(current);
  if (reference === null || to === null) return null;
  const rise = painRise(painScoreOf(reference) ?? 0, to);
  return meetsPainIncrease(rise, settings) ? { reference, rise } : null;
}

function trialEvidence(trial: TierOnTrial, failed: string[]): Record<string, unknown> {
  return {
    tier: trial.tier,
    tierSince: trial.since,
    minMonths: trial.minMonths,
    monthsOnTier: trial.monthsOnTier,
    failed,
  };
}

function trialClause(trial: TierOnTrial): string {
  const months = `${trial.monthsOnTier} month${trial.monthsOnTier === 1 ? '' : 's'}`;
  return `after ${months} on ${describeTier(trial.tier)}, started ${trial.since}`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

interface Failures {
  growth: GrowthAssessment | null;
  pain: PainFailure | null;
}

function failureMessage(label: string, trial: TierOnTrial, { growth, pain }: Failures): string {
  const clauses: string[] = [];
  if (growth !== null) clauses.push(describeGrowth(label, growth));
  if (pain !== null) {
    const subject = growth === null ? `pain at ${label}` : 'pain';
    clauses.push(`${subject} rose ${describePainRise(pain.rise)}`);
  }
  return `${capitalised(joinWords(clauses))} ${trialClause(trial)}`;
}

function growthEvidence(growth: GrowthAssessment | null): Record<string, unknown> | null {
  if (growth === null) return null;
  return {
    ...comparisonEvidence('nadir', growth.nadir, growth.current, growth.change),
    ...trendEvidence(growth.trend),
  };
}

function painEvidence(pain: PainFailure | null): Record<string, unknown> | null {
  if (pain === null) return null;
  return {
    referenceEvaluationId: pain.reference.id,
    referenceDate: pain.reference.visitDate,
    ...painRiseEvidence(pain.rise),
  };
}

function failureEvidence(trial: TierOnTrial, { growth, pain }: Failures, settings: RuleSettings): Record<string, unknown> {
  const failed = [...(growth === null ? [] : ['growth']), ...(pain === null ? [] : ['pain'])];
  return {
    ...trialEvidence(trial, failed),
    growth: growthEvidence(growth),
    pain: painEvidence(pain),
    thresholds: {
      ...growthThresholdEvidence(settings),
      painIncreasePoints: settings.painIncreasePoints,
      painIncreasePercent: settings.painIncreasePercent,
    },
  };
}

export function treatmentFailureRule(
  deposit: DepositHistory,
  ctx: RuleContext,
  settings: RuleSettings,
): Finding | null {
  const tier = currentTier(ctx.treatments, ctx.visitDate, deposit.depositId);
  const trial = tierOnTrial(tier, ctx.visitDate, settings);
  if (trial === null) return null;
  const failures: Failures = {
    growth: growthSinceStart(deposit, trial.since, settings),
    pain: painSinceStart(deposit, trial.since, settings),
  };
  if (failures.growth === null && failures.pain === null) return null;
  return {
    rule: 'TREATMENT_FAILURE',
    depositId: deposit.depositId,
    severity: 'high',
    message: failureMessage(deposit.label, trial, failures),
    evidence: { ...failureEvidence(trial, failures, settings), settingsVersion: ctx.settingsVersion },
    suggestedAction: escalationAction(trial.tier),
  };
}

function newDepositsSubject(newDeposits: DepositHistory[]): string {
  const labels = newDeposits.map((deposit) => deposit.label);
  if (labels.length === 1) return `New deposit ${labels[0]}`;
  return `${labels.length} new deposits (${joinWords(labels)})`;
}

/** Patient-level: new deposits at a follow-up visit while the patient-wide tier has run its time. */
export function newDepositTreatmentFailureRule(
  deposits: DepositHistory[],
  ctx: RuleContext,
  settings: RuleSettings,
): Finding | null {
  const newDeposits = deposits.filter((deposit) => deposit.isNewAtThisVisit);
  if (ctx.isFirstVisitOfPatient || newDeposits.length === 0) return null;
  const trial = tierOnTrial(currentTier(ctx.treatments, ctx.visitDate, null), ctx.visitDate, settings);
  if (trial === null) return null;
  return {
    rule: 'TREATMENT_FAILURE',
    depositId: null,
    severity: 'high',
    message: `${newDepositsSubject(newDeposits)} appeared on ${ctx.visitDate} ${trialClause(trial)}`,
    evidence: {
      ...trialEvidence(trial, ['new-deposit']),
      newDepositIds: newDeposits.map((deposit) => deposit.depositId),
      visitDate: ctx.visitDate,
      settingsVersion: ctx.settingsVersion,
    },
    suggestedAction: escalationAction(trial.tier),
  };
}
