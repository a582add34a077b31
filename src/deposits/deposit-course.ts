import { methodClassOf, type MethodClass } from '../change-detection/types';
import { changeBetween } from '../visits/measurement.util';
import type { EvaluationDto } from '../visits/dto/evaluation.dto';

export interface DepositCourse {
  methodClass: MethodClass | null;
  baseline: EvaluationDto | null;
  nadir: EvaluationDto | null;
  latest: EvaluationDto | null;
  changeSinceBaseline: { mm: number; percent: number } | null;
  changeSinceNadir: { mm: number; percent: number } | null;
}

/**
 * Baseline, nadir and latest of a deposit (evaluations oldest first). References are taken in the
 * latest evaluation's method class, so a change never compares a palpation with an ultrasound.
 */
export function depositCourse(evaluations: EvaluationDto[]): DepositCourse {
  const latest = evaluations.at(-1) ?? null;
  if (!latest) return { methodClass: null, baseline: null, nadir: null, latest: null, changeSinceBaseline: null, changeSinceNadir: null };
  const methodClass = methodClassOf(latest.method);
  const comparable = evaluations.filter((e) => methodClassOf(e.method) === methodClass);
  const baseline = comparable[0];
  // the earliest of equal minima: the nadir is where the deposit first reached its smallest size
  const nadir = comparable.reduce((min, e) => (e.longestDiameterMm < min.longestDiameterMm ? e : min), baseline);
  return {
    methodClass,
    baseline,
    nadir,
    latest,
    changeSinceBaseline: changeBetween(baseline.longestDiameterMm, latest.longestDiameterMm),
    changeSinceNadir: changeBetween(nadir.longestDiameterMm, latest.longestDiameterMm),
  };
}
