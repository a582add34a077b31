import type { EntityManager } from 'typeorm';
import type { DepositHistory, EvaluationPoint, LabPoint, TreatmentPoint } from '../change-detection/types';
import type { ReferenceCut } from '../change-detection/detect-changes';
import { DEFAULT_RULE_SETTINGS } from '../change-detection/rule-settings';
import type { CurrentRuleSettings } from '../rule-settings/rule-settings.store';
import type { ClinicalChange } from './alert-runner';
import { preparedQuery } from '../database/prepared';
import { lockOverdueReviews } from './alert-writer';

/**
 * Loads what the rules need for one change — narrow projections, never a patient's whole record:
 * the size/sign columns of the evaluations up to the change, treatments (for the tier), the one lab
 * result concerned, and the dates of earlier decisions.
 */

/**
 * One deposit's evaluations up to the change, as one array per column (the keys once, not once per
 * evaluation: a deposit with 1,000 evaluations was 450 kB of JSON as objects, half of it keys, and
 * building and parsing it grew with the history). Every array has the same length; all are null for
 * a deposit without evaluations. `seq` is each evaluation's stored order within its visit date;
 * `current_seq` the seq of the change's visit's evaluation of this deposit, null if none.
 */
export interface EvaluationColumns {
  deposit_id: string;
  seq: number[] | null;
  id: string[] | null;
  visit_date: string[] | null;
  method: EvaluationPoint['method'][] | null;
  longest_diameter_mm: number[] | null;
  shape: (string | null)[] | null;
  margin: (string | null)[] | null;
  landmark: (string | null)[] | null;
  x_mm: (number | null)[] | null;
  y_mm: (number | null)[] | null;
  mobility: EvaluationPoint['mobility'][] | null;
  ulcerated: boolean[] | null;
  infection_signs: boolean[] | null;
  inflammation: boolean[] | null;
  nerve_compression: boolean[] | null;
  drainage: EvaluationPoint['drainage'][] | null;
  pain_score: (number | null)[] | null;
  current_seq: number | null;
}

/** The column arrays (all but deposit_id and current_seq): what `inHistoryOrder` reorders. */
const ARRAYS = ['seq', 'id', 'visit_date', 'method', 'longest_diameter_mm', 'shape', 'margin', 'landmark', 'x_mm', 'y_mm', 'mobility', 'ulcerated', 'infection_signs', 'inflammation', 'nerve_compression', 'drainage', 'pain_score'] as const;

/** Is evaluation `i` after evaluation `j` in the history's order (visit date, then stored order)? */
function isAfter(c: EvaluationColumns, i: number, j: number): boolean {
  const [a, b] = [c.visit_date![i], c.visit_date![j]];
  return a > b || (a === b && c.seq![i] > c.seq![j]);
}

/**
 * The columns in history order. The statement aggregates an ordered subquery, which PostgreSQL
 * feeds to the aggregates in that order; should a plan ever deliver them otherwise, they are sorted
 * here, so the rules never see a history out of order.
 */
export function inHistoryOrder(c: EvaluationColumns): EvaluationColumns {
  const count = c.seq?.length ?? 0;
  let ordered = true;
  for (let i = 1; i < count && ordered; i++) ordered = isAfter(c, i, i - 1);
  if (ordered) return c;
  const order = Array.from({ length: count }, (_, i) => i).sort((i, j) => (isAfter(c, i, j) ? 1 : isAfter(c, j, i) ? -1 : 0));
  const sorted: EvaluationColumns = { ...c };
  for (const key of ARRAYS) (sorted as unknown as Record<string, unknown[]>)[key] = order.map((i) => (c[key] as unknown[])[i]);
  return sorted;
}

/** The evaluations of the columns from the first up to `end` (exclusive), in order. */
function toPoints(c: EvaluationColumns, end: number): EvaluationPoint[] {
  const points: EvaluationPoint[] = new Array(end);
  for (let i = 0; i < end; i++) {
    points[i] = {
      id: c.id![i],
      visitDate: c.visit_date![i],
      method: c.method![i],
      longestDiameterMm: c.longest_diameter_mm![i],
      shape: c.shape![i],
      margin: c.margin![i],
      landmark: c.landmark![i],
      xMm: c.x_mm![i],
      yMm: c.y_mm![i],
      mobility: c.mobility![i],
      ulcerated: c.ulcerated![i],
      infectionSigns: c.infection_signs![i],
      inflammation: c.inflammation![i],
      nerveCompression: c.nerve_compression![i],
      drainage: c.drainage![i],
      painScore: c.pain_score![i],
    };
  }
  return points;
}

type DepositRow = { id: string; label: string; status: DepositHistory['status']; prior_procedure_site: boolean; first_visit_id: string | null };

/** The deposits the rules look at: the active ones and the ones the change evaluated. */
const DEPOSITS = `SELECT id, label, status, prior_procedure_site, first_visit_id, seq FROM deposits
  WHERE clinic_id = $1 AND patient_id = $2 AND (status = 'active' OR id = ANY($3::uuid[]))`;

/** The columns the rules read of an evaluation (the size and sign columns; no notes, no audit columns). */
const COLUMNS = ARRAYS.map((column) => `'${column}', array_agg(e.${column})`).join(',\n         ');

/**
 * Each deposit's evaluations up to the change's date, as EvaluationColumns. The rows come from one
 * ordered subquery (the index on (clinic_id, deposit_id, visit_date, seq) gives them in order) and
 * every array takes them as they come: an `array_agg(… ORDER BY …)` per column sorted the history
 * once per column on PostgreSQL 15 (16 sorts of the same rows; PostgreSQL 16 and later sort once).
 */
const EVALUATIONS = `SELECT json_build_object(
         'deposit_id', d.id,
         ${COLUMNS},
         'current_seq', min(e.seq) FILTER (WHERE e.visit_id = $6::uuid))
    FROM (SELECT e.visit_id, ${ARRAYS.map((column) => `e.${column}`).join(', ')} FROM evaluations e
           WHERE e.clinic_id = $1 AND e.deposit_id = d.id AND e.visit_date <= $4
           ORDER BY e.visit_date, e.seq) e`;

/**
 * Everything the rules need for one change, in one statement (one round trip instead of seven): the
 * clinic's current rule settings, the deposit histories, treatments, the lab result concerned,
 * whether this is the patient's first visit, and the dates of earlier decisions. Each part is the
 * query it was on its own, aggregated to JSON in its old order (the evaluations: per deposit, in the
 * deposits' order). With `$7` (a visit), it also locks the open OVERDUE_REVIEW alerts of the
 * evaluated deposits, which the visit resolves. Parameters: clinic, patient, evaluated deposits,
 * date, lab result, visit (or null), whether to lock them. Exported for the benchmark's replay.
 */
export const CLINICAL_CONTEXT = `SELECT
  (SELECT json_build_object('version', r.version, 'settings', r.settings) FROM rule_settings r
    WHERE r.clinic_id = $1 ORDER BY r.version DESC LIMIT 1) AS settings,
  (SELECT coalesce(json_agg(d ORDER BY d.seq), '[]') FROM (${DEPOSITS}) d) AS deposits,
  (SELECT coalesce(json_agg((${EVALUATIONS}) ORDER BY d.seq), '[]') FROM (${DEPOSITS}) d) AS evaluations,
  (SELECT coalesce(json_agg(t ORDER BY t.started_on), '[]') FROM (
     SELECT id, kind, deposit_id, started_on, ended_on FROM treatments WHERE clinic_id = $1 AND patient_id = $2) t) AS treatments,
  (SELECT row_to_json(l) FROM (
     SELECT id, collected_on, corrected_calcium_mg_dl, calcium_phosphate_product FROM lab_results WHERE clinic_id = $1 AND id = $5::uuid) l) AS lab,
  NOT EXISTS (SELECT 1 FROM visits WHERE clinic_id = $1 AND patient_id = $2 AND visit_date < $4) AS first_visit,
  (SELECT coalesce(json_agg(c ORDER BY c.rule, c.deposit_id), '[]') FROM (
     SELECT DISTINCT ON (rule, deposit_id) rule, deposit_id, reference_date
       FROM alerts
      WHERE clinic_id = $1 AND patient_id = $2 AND status = 'resolved' AND reference_date IS NOT NULL
      ORDER BY rule, deposit_id, resolved_at DESC) c) AS cuts,
  ARRAY(SELECT o.id::text FROM (${lockOverdueReviews('$1', '$3', '$7::boolean')}) o) AS overdue_reviews`;

export interface ClinicalContext {
  rules: CurrentRuleSettings;
  deposits: DepositHistory[];
  treatments: TreatmentPoint[];
  lab: LabPoint | null;
  firstVisit: boolean;
  referenceCuts: ReferenceCut[];
  /** a visit's: the open OVERDUE_REVIEW alerts of its deposits, locked */
  overdueReviewIds: string[];
}

export async function loadClinicalContext(manager: EntityManager, change: ClinicalChange): Promise<ClinicalContext> {
  const [row] = await preparedQuery<{
    settings: { version: number; settings: CurrentRuleSettings['settings'] } | null;
    deposits: DepositRow[];
    evaluations: EvaluationColumns[];
    treatments: TreatmentRow[];
    lab: LabRow | null;
    first_visit: boolean;
    cuts: CutRow[];
    overdue_reviews: string[];
  }>(manager, CLINICAL_CONTEXT, [change.clinicId, change.patientId, change.evaluatedDepositIds, change.date, change.labResultId, change.visitId, change.kind === 'visit']);
  return {
    // a clinic starts on version 1, the defaults; settings written by an older release lack newer keys: those take their defaults
    rules: row.settings ? { version: row.settings.version, settings: { ...DEFAULT_RULE_SETTINGS, ...row.settings.settings } } : { version: 1, settings: { ...DEFAULT_RULE_SETTINGS } },
    deposits: toHistories(row.deposits, row.evaluations, change),
    treatments: row.treatments.map(toTreatment),
    lab: row.lab ? toLab(row.lab) : null,
    firstVisit: row.first_visit,
    referenceCuts: row.cuts.map(toCut),
    overdueReviewIds: row.overdue_reviews,
  };
}

function toHistories(deposits: DepositRow[], evaluations: EvaluationColumns[], change: ClinicalChange): DepositHistory[] {
  const byDeposit = new Map(evaluations.map((columns) => [columns.deposit_id, inHistoryOrder(columns)]));
  return deposits.map((d) => {
    const columns = byDeposit.get(d.id)!;
    const count = columns.id?.length ?? 0;
    // An evaluated deposit's history ends with the evaluation of this visit (an amendment may correct an older one).
    const end = change.visitId && columns.current_seq !== null ? columns.seq!.indexOf(columns.current_seq) + 1 : count;
    return {
      depositId: d.id,
      label: d.label,
      status: d.status,
      priorProcedureSite: d.prior_procedure_site,
      isNewAtThisVisit: change.visitId !== null && d.first_visit_id === change.visitId,
      evaluations: toPoints(columns, end),
    };
  });
}

type TreatmentRow = { id: string; kind: string; deposit_id: string | null; started_on: string; ended_on: string | null };
type LabRow = { id: string; collected_on: string; corrected_calcium_mg_dl: number | null; calcium_phosphate_product: number | null };
type CutRow = { rule: ReferenceCut['rule']; deposit_id: string | null; reference_date: string | null };

const toTreatment = (r: TreatmentRow): TreatmentPoint => ({ id: r.id, kind: r.kind, depositId: r.deposit_id, startedOn: r.started_on, endedOn: r.ended_on });
const toLab = (row: LabRow): LabPoint => ({ id: row.id, collectedOn: row.collected_on, correctedCalciumMgDl: row.corrected_calcium_mg_dl, calciumPhosphateProduct: row.calcium_phosphate_product });
const toCut = (r: CutRow): ReferenceCut => ({ rule: r.rule, depositId: r.deposit_id, decisionDate: r.reference_date! });

export async function loadTreatments(manager: EntityManager, clinicId: string, patientId: string): Promise<TreatmentPoint[]> {
  const rows: TreatmentRow[] = await manager.query(
    `SELECT id, kind, deposit_id, started_on, ended_on FROM treatments WHERE clinic_id = $1 AND patient_id = $2 ORDER BY started_on`,
    [clinicId, patientId],
  );
  return rows.map(toTreatment);
}
