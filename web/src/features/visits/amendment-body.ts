// An amendment of an evaluation: the form starts from the evaluation as stored, and the API gets
// only the fields that changed (a field emptied is sent as null), with the reason.
import type { Evaluation } from '../../api/types';
import { measurement, type MeasurementValues } from './visit-body';

export interface AmendValues {
  m: MeasurementValues;
  reason: string;
}

const str = (v: number | string | null | undefined) => (v === null || v === undefined ? '' : String(v));

export function amendValuesOf(e: Evaluation): AmendValues {
  return {
    m: {
      method: e.method,
      longestDiameterMm: str(e.longestDiameterMm),
      perpendicularDiameterMm: str(e.perpendicularDiameterMm),
      depthMm: str(e.depthMm),
      shape: e.shape ?? '',
      margin: e.margin ?? '',
      position: { landmark: e.position?.landmark ?? '', xMm: str(e.position?.xMm), yMm: str(e.position?.yMm) },
      mobility: e.mobility ?? '',
      ulcerated: e.ulcerated,
      infectionSigns: e.infectionSigns,
      inflammation: e.inflammation,
      nerveCompression: e.nerveCompression,
      drainage: e.drainage,
      painScore: str(e.painScore),
      notes: e.notes ?? '',
    },
    reason: '',
  };
}

const FIELDS = [
  'method',
  'longestDiameterMm',
  'perpendicularDiameterMm',
  'depthMm',
  'shape',
  'margin',
  'position',
  'mobility',
  'ulcerated',
  'infectionSigns',
  'inflammation',
  'nerveCompression',
  'drainage',
  'painScore',
  'notes',
] as const;

/** The body of POST /evaluations/:id/amendments: the reason and each field that differs from the evaluation. */
export function amendmentBody(e: Evaluation, v: AmendValues): Record<string, unknown> {
  const now = measurement(v.m) as Record<string, unknown>;
  const before = measurement(amendValuesOf(e).m) as Record<string, unknown>;
  const body: Record<string, unknown> = { reason: v.reason };
  for (const f of FIELDS) {
    const [a, b] = [now[f] ?? null, before[f] ?? null];
    if (JSON.stringify(a) !== JSON.stringify(b)) body[f] = a;
  }
  return body;
}

/** The form path of an API error field (`position.xMm` → `m.position.xMm`), or null for the form's summary. */
export function amendFormPathOf(apiField: string): string | null {
  if (apiField === 'reason') return 'reason';
  const top = apiField.split('.')[0];
  return (FIELDS as readonly string[]).includes(top) ? `m.${apiField}` : null;
}
