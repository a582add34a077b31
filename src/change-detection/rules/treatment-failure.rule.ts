// TREATMENT_FAILURE — high. The current tier (1–3; tier 0 is not a treatment to fail, tier 4 has
// no next rung) has run its minimum time at the visit (tier start + tierNMinMonths on or before the
// visit date) and since it started:
// - the deposit grew past the DEPOSIT_GROWTH thresholds, measured from the nadir of the same-class
//   evaluations dated on or after the tier's start (the current one excluded); trend confirmation
//   as in DEPOSIT_GROWTH through all given same-class evaluations, none needed at the high level.
//   Without an evaluation on or after the start there is nothing to measure growth from. After a
//   physician's decision the history starts at the evaluation current then; or
// - the pain rose: PAIN_INCREASE's test over the pain readings from the later of the tier's start
//   and the last decision on this rule's alert for the deposit, the earliest reading used being the
//   last one on or before that date. With reading confirmation on it is the confirmed test (median
//   reference, immediate threshold or two readings in a row); off, as before, the reference is that
//   earliest reading (the pain at the tier's start) and the current score decides; or
// - (patient-level, `newDepositTreatmentFailureRule`) a new deposit appeared at a follow-up visit,
//   judged against the patient-wide tier; depositId null.
// The suggested tier is tier + 1; from tier 3 the text carries the test-procedure caution.

import { addMonths, compareDates, isOnOrBefore, wholeMonthsBetween } from '../date-utils';
import { comparisonEvidence } from '../evidence';
import { assessGrowth, describeGrowth, growthThresholdEvidence, trendEvidence, type GrowthAssessment } from '../growth';
import { joinWords } from '../format';
import { currentOf, onOrAfter, sameClassHistory, truncateHistoryFrom } from '../history';
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
  type PainChange,
  type PainRise,
} from '../pain';
import { readingsFrom } from '../readings';
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

function growthSinceStart(evaluations: EvaluationPoint[], since: string, settings: RuleSettings): GrowthAssessment | null {
  const history = sameClassHistory(evaluations);
  if (history === null) return null;
  const growth = assessGrowth(
    { references: onOrAfter(history.earlier, since), current: history.current, trendPoints: history.all },
    settings,
  );
  return growth !== null && growth.level !== null ? growth : null;
}

/** Confirmation on: the confirmed change; off: the rise from the window's first reading. */
type PainFailure = { kind: 'confirmed'; change: PainChange; windowStart: string } | { kind: 'from-start'; reference: EvaluationPoint; rise: PainRise; windowStart: string };

function laterOf(a: string, b: string | null): string {
  return b !== null && compareDates(b, a) > 0 ? b : a;
}

function painSinceStart(deposit: DepositHistory, since: string, settings: RuleSettings): PainFailure | null {
  const current = currentOf(deposit.evaluations);
  if (current === null || painScoreOf(current) === null) return null;
  const windowStart = laterOf(since, deposit.decidedOn ?? null);
  const readings = readingsFrom(painReadings(deposit.evaluations), windowStart);
  if (settings.readingConfirmation) {
    const change = confirmedPainRise(readings, settings);
    return change === null ? null : { kind: 'confirmed', change, windowStart };
  }
  if (readings.length < 2) return null;
  const [first] = readings;
  const rise = painRise(first.value, readings[readings.length - 1].value);
  return meetsPainIncrease(rise, settings) ? { kind: 'from-start', reference: first.evaluation, rise, windowStart } : null;
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

function failureMessage(deposit: DepositHistory, trial: TierOnTrial, { growth, pain }: Failures): string {
  const clauses: string[] = [];
  if (growth !== null) clauses.push(describeGrowth(deposit.label, growth));
  if (pain !== null) {
    const subject = growth === null ? `pain at ${deposit.label}` : 'pain';
    clauses.push(
      pain.kind === 'confirmed'
        ? describeConfirmedPain(`${subject} rose to`, deposit.evaluations, pain.change)
        : `${subject} rose ${describePainRise(pain.rise)}`,
    );
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
  if (pain.kind === 'confirmed') return { windowStart: pain.windowStart, ...confirmedPainEvidence(pain.change) };
  return {
    windowStart: pain.windowStart,
    referenceCount: 1,
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
      ...painThresholdEvidence(settings),
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
  // growth is judged on the history as it stood at the last decision, pain on its readings (see above)
  const history = deposit.decidedOn ? truncateHistoryFrom(deposit.evaluations, deposit.decidedOn) : deposit.evaluations;
  const failures: Failures = {
    growth: growthSinceStart(history, trial.since, settings),
    pain: painSinceStart(deposit, trial.since, settings),
  };
  if (failures.growth === null && failures.pain === null) return null;
  return {
    rule: 'TREATMENT_FAILURE',
    depositId: deposit.depositId,
    severity: 'high',
    message: failureMessage(deposit, trial, failures),
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
