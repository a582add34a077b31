// The visit form's values and the API body they make — and the way back, from the API's error
// fields (`evaluations[0].longestDiameterMm`) to the form's (`rows.3.longestDiameterMm`).
import type { CreateVisit, Deposit, Method } from '../../api/types';
import { numberOrText } from '../../components/form-errors';
import { emptyLabValues, labBody, type LabValues } from '../patients/components/LabFields';

export interface MeasurementValues {
  method: string;
  longestDiameterMm: string;
  perpendicularDiameterMm: string;
  depthMm: string;
  shape: string;
  margin: string;
  position: { landmark: string; xMm: string; yMm: string };
  mobility: string;
  ulcerated: boolean;
  infectionSigns: boolean;
  inflammation: boolean;
  nerveCompression: boolean;
  drainage: string;
  painScore: string;
  notes: string;
}

export interface RowValues extends MeasurementValues {
  depositId: string;
}

export interface NewDepositValues {
  label: string;
  site: string;
  siteDetail: string;
  laterality: string;
  depth: string;
  pattern: string;
  priorProcedureSite: boolean;
  evaluation: MeasurementValues;
}

export interface VisitValues {
  visitDate: string;
  rows: RowValues[];
  newDeposits: NewDepositValues[];
  withLabs: boolean;
  labs: LabValues & { collectedOn: string };
}

export function emptyMeasurement(method: Method | '' = ''): MeasurementValues {
  return {
    method,
    longestDiameterMm: '',
    perpendicularDiameterMm: '',
    depthMm: '',
    shape: '',
    margin: '',
    position: { landmark: '', xMm: '', yMm: '' },
    mobility: '',
    ulcerated: false,
    infectionSigns: false,
    inflammation: false,
    nerveCompression: false,
    drainage: 'none',
    painScore: '',
    notes: '',
  };
}

export function emptyNewDeposit(): NewDepositValues {
  return { label: '', site: '', siteDetail: '', laterality: '', depth: '', pattern: '', priorProcedureSite: false, evaluation: emptyMeasurement('caliper') };
}

/** One row per active deposit, its method the deposit's previous one. */
export function initialValues(deposits: Deposit[], today: string): VisitValues {
  return {
    visitDate: today,
    rows: deposits
      .filter((d) => d.status === 'active')
      .map((d) => ({ depositId: d.id, ...emptyMeasurement(((d.latestEvaluation as { method?: Method } | null)?.method ?? d.detectedBy) as Method) })),
    newDeposits: [],
    withLabs: false,
    labs: { ...emptyLabValues(), collectedOn: '' },
  };
}

const text = (v: string) => (v.trim() === '' ? undefined : v.trim());

/** Anything measured in the row? The method alone (filled in from the previous visit) is not. */
export function isFilled(m: MeasurementValues): boolean {
  return (
    [m.longestDiameterMm, m.perpendicularDiameterMm, m.depthMm, m.shape, m.margin, m.position.landmark, m.position.xMm, m.position.yMm, m.mobility, m.painScore, m.notes].some(
      (v) => v.trim() !== '',
    ) ||
    m.ulcerated ||
    m.infectionSigns ||
    m.inflammation ||
    m.nerveCompression ||
    m.drainage !== 'none'
  );
}

export function measurement(m: MeasurementValues) {
  const position = m.position.landmark.trim() || m.position.xMm.trim() || m.position.yMm.trim()
    ? { landmark: m.position.landmark.trim(), xMm: (numberOrText(m.position.xMm) ?? null) as number | null, yMm: (numberOrText(m.position.yMm) ?? null) as number | null }
    : undefined;
  return {
    method: (text(m.method) ?? undefined) as Method,
    longestDiameterMm: numberOrText(m.longestDiameterMm) as number,
    perpendicularDiameterMm: numberOrText(m.perpendicularDiameterMm) as number | undefined,
    depthMm: numberOrText(m.depthMm) as number | undefined,
    shape: (text(m.shape) as never) ?? undefined,
    margin: (text(m.margin) as never) ?? undefined,
    position,
    mobility: (text(m.mobility) as never) ?? undefined,
    ulcerated: m.ulcerated,
    infectionSigns: m.infectionSigns,
    inflammation: m.inflammation,
    nerveCompression: m.nerveCompression,
    drainage: m.drainage as never,
    painScore: numberOrText(m.painScore) as number | undefined,
    notes: text(m.notes),
  };
}

export interface VisitSubmission {
  body: CreateVisit;
  /** evaluations[i] of the body is rows[rowOf[i]] of the form */
  rowOf: number[];
}

/** The API body: only the rows with something measured, every new deposit, the labs when asked for. */
export function visitBody(v: VisitValues): VisitSubmission {
  const rowOf: number[] = [];
  const evaluations = v.rows.flatMap((row, i) => {
    if (!isFilled(row)) return [];
    rowOf.push(i);
    return [{ depositId: row.depositId, ...measurement(row) }];
  });
  const newDeposits = v.newDeposits.map((d) => {
    const evaluation = measurement(d.evaluation);
    return {
      label: d.label.trim(),
      site: (text(d.site) as never) ?? undefined,
      siteDetail: text(d.siteDetail),
      laterality: (text(d.laterality) as never) ?? undefined,
      depth: (text(d.depth) as never) ?? undefined,
      pattern: (text(d.pattern) as never) ?? undefined,
      detectedBy: evaluation.method,
      priorProcedureSite: d.priorProcedureSite,
      evaluation,
    };
  });
  const labs = v.withLabs ? labBody(v.labs) : null;
  const body: CreateVisit = {
    visitDate: v.visitDate,
    ...(evaluations.length ? { evaluations } : {}),
    ...(newDeposits.length ? { newDeposits } : {}),
    ...(v.withLabs ? { labs: { ...(labs ?? {}), ...(text(v.labs.collectedOn) ? { collectedOn: v.labs.collectedOn } : {}) } } : {}),
  } as unknown as CreateVisit;
  return { body: JSON.parse(JSON.stringify(body)) as CreateVisit, rowOf };
}

/** The form path of an API error field, or null when no field of the form shows it. */
export function formPathOf(apiField: string, rowOf: number[]): string | null {
  const dotted = apiField.replace(/\[(\d+)\]/g, '.$1');
  if (dotted === 'visitDate') return 'visitDate';
  let m = /^evaluations\.(\d+)\.(.+)$/.exec(dotted);
  if (m) {
    const row = rowOf[Number(m[1])];
    if (row === undefined || m[2] === 'depositId') return null;
    return `rows.${row}.${m[2]}`;
  }
  m = /^newDeposits\.(\d+)\.(.+)$/.exec(dotted);
  if (m) {
    const rest = m[2] === 'detectedBy' ? 'evaluation.method' : m[2] === 'notedOn' ? null : m[2];
    return rest === null ? null : `newDeposits.${m[1]}.${rest}`;
  }
  m = /^labs\.(\w+)(\.(value|unit))?$/.exec(dotted);
  if (m) return m[1] === 'collectedOn' ? 'labs.collectedOn' : `labs.${m[1]}.${m[3] ?? 'value'}`;
  return null;
}
