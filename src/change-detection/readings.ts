// Reading confirmation (SPEC "Change detection", paragraph "Reading confirmation"). A pain score or
// a position measured from a landmark is a single reading with an error of its own, so one reading
// past a threshold is mostly noise. A deposit's readings of a value are the evaluations that carry
// it, one per visit date (the last stored), of any method; evaluations without the value are
// skipped: they neither confirm nor break a pair. With confirmation on, a change fires when
// - the current reading is past the *immediate* threshold against the median of all earlier
//   readings (at least one), or
// - the current reading and the one just before it are each past the *ordinary* threshold against
//   the median of the readings before those two (at least one, so three readings in all).

import { compareDates, isOnOrBefore } from './date-utils';
import type { EvaluationPoint } from './types';

export interface Reading<T> {
  evaluation: EvaluationPoint;
  value: T;
}

/**
 * The readings of a value, oldest first: `valueOf` returns null where an evaluation lacks it.
 * Several readings on one visit date are one reading: the last stored (the history is in stored
 * order within a date).
 */
export function readingsOf<T>(evaluations: EvaluationPoint[], valueOf: (evaluation: EvaluationPoint) => T | null): Reading<T>[] {
  const readings: Reading<T>[] = [];
  for (const evaluation of evaluations) {
    const value = valueOf(evaluation);
    if (value === null) continue;
    const last = readings[readings.length - 1];
    if (last !== undefined && last.evaluation.visitDate === evaluation.visitDate) readings.pop();
    readings.push({ evaluation, value });
  }
  return readings;
}

/**
 * The readings from the one current on `date` on (that one included): the last reading on or
 * before it and every later one. With no reading on or before the date, all of them.
 */
export function readingsFrom<T>(readings: Reading<T>[], date: string | null): Reading<T>[] {
  if (date === null) return readings;
  let start = 0;
  readings.forEach((reading, index) => {
    if (isOnOrBefore(reading.evaluation.visitDate, date)) start = index;
  });
  return readings.slice(start);
}

/** The median; of an even count, the mean of the two middle values. NaN for an empty list. */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort(); // a typed array sorts numerically
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export type ThresholdLevel = 'ordinary' | 'immediate';

/** How one kind of reading is judged: its reference from earlier readings, and whether a reading is past a threshold. */
export interface ReadingTest<T, R> {
  reference(values: T[]): R;
  isPast(value: T, reference: R, level: ThresholdLevel): boolean;
}

export interface ReadingChange<T, R> {
  /** `immediate`: one reading past the immediate threshold; `confirmed`: two in a row past the ordinary one. */
  kind: 'immediate' | 'confirmed';
  reference: R;
  /** The readings the reference (a median) was taken from, oldest first. */
  referenceReadings: Reading<T>[];
  /** The readings that confirmed the change, oldest first, ending with the current one. */
  confirming: Reading<T>[];
}

/**
 * The confirmed test over readings that end with the current one (the caller checks that the
 * current evaluation carries the value). The immediate threshold is tried first: a single reading
 * that far off is the change a physician must see, whatever came before it.
 */
export function confirmedChange<T, R>(readings: Reading<T>[], test: ReadingTest<T, R>): ReadingChange<T, R> | null {
  const count = readings.length;
  if (count < 2) return null;
  const current = readings[count - 1];
  const earlier = readings.slice(0, -1);
  const allEarlier = test.reference(earlier.map((reading) => reading.value));
  if (test.isPast(current.value, allEarlier, 'immediate')) {
    return { kind: 'immediate', reference: allEarlier, referenceReadings: earlier, confirming: [current] };
  }
  if (count < 3) return null;
  const before = readings.slice(0, -2);
  const reference = test.reference(before.map((reading) => reading.value));
  const pair = readings.slice(-2);
  if (pair.every((reading) => test.isPast(reading.value, reference, 'ordinary'))) {
    return { kind: 'confirmed', reference, referenceReadings: before, confirming: pair };
  }
  return null;
}

/** Are these readings on the deposit's last evaluated visit dates (no evaluation between them)? */
function areLastVisits(evaluations: EvaluationPoint[], readings: Reading<unknown>[]): boolean {
  const dates = [...new Set(evaluations.map((evaluation) => evaluation.visitDate))].sort(compareDates);
  const tail = dates.slice(-readings.length);
  return readings.every((reading, index) => reading.evaluation.visitDate === tail[index]);
}

/** "at the last two visits (2024-07-10, 2024-10-10)"; with a visit between them that had no reading, "on 2024-04-10 and 2024-10-10". */
export function atTheVisitsOf(evaluations: EvaluationPoint[], readings: Reading<unknown>[]): string {
  const dates = readings.map((reading) => reading.evaluation.visitDate);
  if (!areLastVisits(evaluations, readings)) return `on ${dates.join(' and ')}`;
  return readings.length === 1 ? `at the last visit (${dates[0]})` : `at the last two visits (${dates.join(', ')})`;
}

/**
 * "against a median of 1 over the 3 readings before them"; from one reading, "against 2 on
 * 2025-03-01, the one reading before it".
 */
export function againstReference(change: ReadingChange<unknown, unknown>, reference: { median: string; single: string }): string {
  const pronoun = change.confirming.length === 1 ? 'it' : 'them';
  const count = change.referenceReadings.length;
  if (count === 1) return `against ${reference.single} on ${change.referenceReadings[0].evaluation.visitDate}, the one reading before ${pronoun}`;
  return `against ${reference.median} over the ${count} readings before ${pronoun}`;
}
