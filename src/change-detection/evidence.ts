// Evidence blocks shared by the size rules: which evaluations were compared, the reference kind
// (baseline, nadir or previous), both values and the change.

import { evidenceNumber } from './format';
import type { SizeChange } from './size-change';
import type { EvaluationPoint } from './types';

export type ReferenceKind = 'baseline' | 'nadir' | 'previous';

export function comparisonEvidence(
  referenceKind: ReferenceKind,
  reference: EvaluationPoint,
  current: EvaluationPoint,
  change: SizeChange,
): Record<string, unknown> {
  return {
    referenceKind,
    referenceEvaluationId: reference.id,
    referenceDate: reference.visitDate,
    referenceMethod: reference.method,
    referenceMm: reference.longestDiameterMm,
    currentEvaluationId: current.id,
    currentDate: current.visitDate,
    currentMethod: current.method,
    currentMm: current.longestDiameterMm,
    changeMm: evidenceNumber(change.mm),
    changePercent: change.percent === null ? null : evidenceNumber(change.percent),
  };
}
