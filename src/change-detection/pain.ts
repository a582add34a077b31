// The PAIN_INCREASE test, shared with TREATMENT_FAILURE: a rise of at least painIncreasePoints
// AND at least painIncreasePercent (the immediate level: painHighPoints and painHighPercent). From
// a reference of 0 any rise of the required points counts (a percent of 0 is undefined). Scores
// outside 0–10 are treated as missing. With reading confirmation on, the reference is the median of
// earlier readings and the change must be confirmed (see readings.ts).

import { evidenceNumber, formatSignedPercent, roundTo } from './format';
import { againstReference, atTheVisitsOf, confirmedChange, median, readingsOf, type Reading, type ReadingChange, type ReadingTest, type ThresholdLevel } from './readings';
import { atLeast } from './size-change';
import type { EvaluationPoint, RuleSettings } from './types';

export function painScoreOf(evaluation: EvaluationPoint): number | null {
  const score = evaluation.painScore;
  return typeof score === 'number' && Number.isFinite(score) && score >= 0 && score <= 10 ? score : null;
}

export interface PainRise {
  from: number;
  to: number;
  points: number;
  /** null when rising from 0. */
  percent: number | null;
}

export function painRise(from: number, to: number): PainRise {
  const points = to - from;
  return { from, to, points, percent: from === 0 ? null : (points / from) * 100 };
}

function meetsPainThreshold(rise: PainRise, points: number, percent: number): boolean {
  return rise.points > 0 && atLeast(rise.points, points) && (rise.percent === null || atLeast(rise.percent, percent));
}

/** The ordinary threshold (painIncreasePoints and painIncreasePercent). */
export function meetsPainIncrease(rise: PainRise, settings: RuleSettings): boolean {
  return meetsPainThreshold(rise, settings.painIncreasePoints, settings.painIncreasePercent);
}

function meetsPainLevel(rise: PainRise, settings: RuleSettings, level: ThresholdLevel): boolean {
  return level === 'immediate'
    ? meetsPainThreshold(rise, settings.painHighPoints, settings.painHighPercent)
    : meetsPainIncrease(rise, settings);
}

/** A deposit's pain readings: one per visit date, evaluations without a usable score skipped. */
export function painReadings(evaluations: EvaluationPoint[]): Reading<number>[] {
  return readingsOf(evaluations, painScoreOf);
}

export type PainChange = ReadingChange<number, number>;

function painTest(settings: RuleSettings): ReadingTest<number, number> {
  return {
    reference: median,
    isPast: (value, reference, level) => meetsPainLevel(painRise(reference, value), settings, level),
  };
}

/** The confirmed pain test over readings ending with the current one. */
export function confirmedPainRise(readings: Reading<number>[], settings: RuleSettings): PainChange | null {
  return confirmedChange(readings, painTest(settings));
}

/** "from 3 to 6 (+3 points, +100 %)" */
export function describePainRise(rise: PainRise): string {
  return `from ${formatScore(rise.from)} to ${formatScore(rise.to)} (${describeRiseAmount(rise)})`;
}

function formatScore(score: number): string {
  return String(roundTo(score, 1));
}

/** "+3 points, +100 %" (without a percent from 0) */
function describeRiseAmount(rise: PainRise): string {
  const points = roundTo(rise.points, 1);
  const percent = rise.percent === null ? '' : `, ${formatSignedPercent(rise.percent)}`;
  return `+${points} point${points === 1 ? '' : 's'}${percent}`;
}

/**
 * `${subject} 4 and then 5 at the last two visits (…), against a median of 1 over the 3 readings
 * before them (+3 and +4 points)`, the subject being e.g. "Pain at R index pulp".
 */
export function describeConfirmedPain(subject: string, evaluations: EvaluationPoint[], change: PainChange): string {
  const scores = change.confirming.map((reading) => formatScore(reading.value)).join(' and then ');
  const rises = change.confirming.map((reading) => painRise(change.reference, reading.value));
  const amount =
    rises.length === 1
      ? describeRiseAmount(rises[0])
      : `${rises.map((rise) => `+${roundTo(rise.points, 1)}`).join(' and ')} points`;
  return (
    `${subject} ${scores} ${atTheVisitsOf(evaluations, change.confirming)}, ` +
    `${againstReference(change, { median: `a median of ${formatScore(change.reference)}`, single: formatScore(change.reference) })} (${amount})`
  );
}

export function painRiseEvidence(rise: PainRise): Record<string, unknown> {
  return {
    painFrom: evidenceNumber(rise.from),
    painTo: rise.to,
    changePoints: evidenceNumber(rise.points),
    changePercent: rise.percent === null ? null : evidenceNumber(rise.percent),
  };
}

/** The evidence of a confirmed (or immediate) pain change: reference, its readings, and the confirming readings. */
export function confirmedPainEvidence(change: PainChange): Record<string, unknown> {
  const current = change.confirming[change.confirming.length - 1];
  return {
    referenceKind: 'median',
    referenceCount: change.referenceReadings.length,
    referenceEvaluationIds: change.referenceReadings.map((reading) => reading.evaluation.id),
    referenceFrom: change.referenceReadings[0].evaluation.visitDate,
    referenceTo: change.referenceReadings[change.referenceReadings.length - 1].evaluation.visitDate,
    confirmation: change.kind,
    confirmingEvaluationIds: change.confirming.map((reading) => reading.evaluation.id),
    confirmingReadings: change.confirming.map((reading) => ({
      evaluationId: reading.evaluation.id,
      date: reading.evaluation.visitDate,
      ...painRiseEvidence(painRise(change.reference, reading.value)),
    })),
    currentEvaluationId: current.evaluation.id,
    currentDate: current.evaluation.visitDate,
    ...painRiseEvidence(painRise(change.reference, current.value)),
  };
}

export function painThresholdEvidence(settings: RuleSettings): Record<string, unknown> {
  return {
    painIncreasePoints: settings.painIncreasePoints,
    painIncreasePercent: settings.painIncreasePercent,
    painHighPoints: settings.painHighPoints,
    painHighPercent: settings.painHighPercent,
    readingConfirmation: settings.readingConfirmation,
  };
}
