// Picking references out of a deposit's history (oldest first, ending with the current
// evaluation). The noise guard starts here: size references come only from the current
// evaluation's method class, and only from readings that are usable numbers.

import { compareDates, isOnOrBefore } from './date-utils';
import { methodClassOf, type EvaluationPoint } from './types';

/** A finite, non-negative size; anything else is treated as a missing value. */
export function hasUsableSize(evaluation: EvaluationPoint): boolean {
  const mm = evaluation.longestDiameterMm;
  return typeof mm === 'number' && Number.isFinite(mm) && mm >= 0;
}

export function currentOf(evaluations: EvaluationPoint[]): EvaluationPoint | null {
  return evaluations.length === 0 ? null : evaluations[evaluations.length - 1];
}

/**
 * Evaluations of earlier visits than the current one. A second reading at the same visit (another
 * method, say) is never a reference: comparing two readings of one day measures only noise.
 */
export function beforeCurrent(evaluations: EvaluationPoint[]): EvaluationPoint[] {
  const current = currentOf(evaluations);
  if (current === null) return [];
  return evaluations.slice(0, -1).filter((evaluation) => compareDates(evaluation.visitDate, current.visitDate) < 0);
}

/** The last evaluation of an earlier visit, whatever its method. */
export function previousOf(evaluations: EvaluationPoint[]): EvaluationPoint | null {
  return currentOf(beforeCurrent(evaluations));
}

export interface SameClassHistory {
  current: EvaluationPoint;
  /** Same-class evaluations of earlier visits, oldest first. */
  earlier: EvaluationPoint[];
  /** `earlier` plus the current one. */
  all: EvaluationPoint[];
}

/** null when there is no current evaluation or its size is unusable. */
export function sameClassHistory(evaluations: EvaluationPoint[]): SameClassHistory | null {
  const current = currentOf(evaluations);
  if (current === null || !hasUsableSize(current)) return null;
  const currentClass = methodClassOf(current.method);
  const earlier = beforeCurrent(evaluations).filter(
    (evaluation) => methodClassOf(evaluation.method) === currentClass && hasUsableSize(evaluation),
  );
  return { current, earlier, all: [...earlier, current] };
}

/** The smallest reading (the first of equals), or null for an empty list. */
export function smallestOf(evaluations: EvaluationPoint[]): EvaluationPoint | null {
  return evaluations.reduce<EvaluationPoint | null>(
    (smallest, evaluation) =>
      smallest === null || evaluation.longestDiameterMm < smallest.longestDiameterMm ? evaluation : smallest,
    null,
  );
}

export function onOrAfter(evaluations: EvaluationPoint[], date: string): EvaluationPoint[] {
  return evaluations.filter((evaluation) => compareDates(evaluation.visitDate, date) >= 0);
}

/**
 * The history as it stood when a physician decided on `decisionDate`: it starts at the evaluation
 * that was current then (the first one of that visit date), so a rule fires again only if its
 * condition holds anew against it. With no evaluation on or before the date, nothing is cut.
 */
export function truncateHistoryFrom(evaluations: EvaluationPoint[], decisionDate: string): EvaluationPoint[] {
  const before = evaluations.filter((evaluation) => isOnOrBefore(evaluation.visitDate, decisionDate));
  if (before.length === 0) return evaluations;
  const cutDate = before[before.length - 1].visitDate;
  const start = evaluations.findIndex((evaluation) => evaluation.visitDate === cutDate);
  return evaluations.slice(start);
}
