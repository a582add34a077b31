import type { EntityManager } from 'typeorm';
import type { DepositHistory, EvaluationPoint, LabPoint, TreatmentPoint } from '../change-detection/types';
import type { ReferenceCut } from '../change-detection/detect-changes';
import { DEFAULT_RULE_SETTINGS } from '../change-detection/rule-settings';
import type { CurrentRuleSettings } from '../rule-settings/rule-settings.store';
import type { ClinicalChange } from './alert-runner';

/**
 * Loads what the rules need for one change — narrow projections, never a patient's whole record:
 * the size/sign columns of the evaluations up to the change, treatments (for the tier), the one lab
 * result concerned, and the dates of earlier decisions.
 */
interface EvaluationRow {
  id: string;
  deposit_id: string;
  visit_id: string;
  visit_date: string;
  method: EvaluationPoint['method'];
  longest_diameter_mm: number;
  shape: string | null;
  margin: string | null;
  landmark: string | null;
  x_mm: number | null;
  y_mm: number | null;
  mobility: EvaluationPoint['mobility'];
  ulcerated: boolean;
  infection_signs: boolean;
  inflammation: boolean;
  nerve_compression: boolean;
  drainage: EvaluationPoint['drainage'];
  pain_score: number | null;
}

function toPoint(r: EvaluationRow): EvaluationPoint {
  return {
    id: r.id,
    visitDate: r.visit_date,
    method: r.method,
    longestDiameterMm: r.longest_diameter_mm,
    shape: r.shape,
    margin: r.margin,
    landmark: r.landmark,
    xMm: r.x_mm,
    yMm: r.y_mm,
    mobility: r.mobility,
    ulcerated: r.ulcerated,
    infectionSigns: r.infection_signs,
    inflammation: r.inflammation,
    nerveCompression: r.nerve_compression,
    drainage: r.drainage,
    painScore: r.pain_score,
  };
}

type DepositRow = { id: string; label: string; status: DepositHistory['status']; prior_procedure_site: boolean; first_visit_id: string | null };

/** The deposits the rules look at: the active ones and the ones the change evaluated. */
const DEPOSITS = `SELECT id, label, status, prior_procedure_site, first_visit_id, seq FROM deposits
  WHERE clinic_id = $1 AND patient_id = $2 AND (status = 'active' OR id = ANY($3::uuid[]))`;

/** Their evaluations up to the change's date (the size and sign columns only). */
const EVALUATIONS = `SELECT e.id, e.deposit_id, e.visit_id, e.visit_date, e.method, e.longest_diameter_mm, e.shape, e.margin,
         e.landmark, e.x_mm, e.y_mm, e.mobility, e.ulcerated, e.infection_signs, e.inflammation,
         e.nerve_compression, e.drainage, e.pain_score, e.seq
    FROM evaluations e
   WHERE e.clinic_id = $1 AND e.deposit_id IN (SELECT d.id FROM (${DEPOSITS}) d) AND e.visit_date <= $4`;

/**
 * Everything the rules need for one change, in one statement (one round trip instead of seven): the
 * clinic's current rule settings, the deposit histories, treatments, the lab result concerned,
 * whether this is the patient's first visit, and the dates of earlier decisions. Each part is the
 * query it was on its own, aggregated to JSON in its old order. Exported for the benchmark's replay.
 */
export const CLINICAL_CONTEXT = `SELECT
  (SELECT json_build_object('version', r.version, 'settings', r.settings) FROM rule_settings r
    WHERE r.clinic_id = $1 ORDER BY r.version DESC LIMIT 1) AS settings,
  (SELECT coalesce(json_agg(d ORDER BY d.seq), '[]') FROM (${DEPOSITS}) d) AS deposits,
  (SELECT coalesce(json_agg(e ORDER BY e.visit_date, e.seq), '[]') FROM (${EVALUATIONS}) e) AS evaluations,
  (SELECT coalesce(json_agg(t ORDER BY t.started_on), '[]') FROM (
     SELECT id, kind, deposit_id, started_on, ended_on FROM treatments WHERE clinic_id = $1 AND patient_id = $2) t) AS treatments,
  (SELECT row_to_json(l) FROM (
     SELECT id, collected_on, corrected_calcium_mg_dl, calcium_phosphate_product FROM lab_results WHERE clinic_id = $1 AND id = $5::uuid) l) AS lab,
  NOT EXISTS (SELECT 1 FROM visits WHERE clinic_id = $1 AND patient_id = $2 AND visit_date < $4) AS first_visit,
  (SELECT coalesce(json_agg(c ORDER BY c.rule, c.deposit_id), '[]') FROM (
     SELECT DISTINCT ON (rule, deposit_id) rule, deposit_id, reference_date
       FROM alerts
      WHERE clinic_id = $1 AND patient_id = $2 AND status = 'resolved' AND reference_date IS NOT NULL
      ORDER BY rule, deposit_id, resolved_at DESC) c) AS cuts`;

export interface ClinicalContext {
  rules: CurrentRuleSettings;
  deposits: DepositHistory[];
  treatments: TreatmentPoint[];
  lab: LabPoint | null;
  firstVisit: boolean;
  referenceCuts: ReferenceCut[];
}

export async function loadClinicalContext(manager: EntityManager, change: ClinicalChange): Promise<ClinicalContext> {
  const [row]: {
    settings: { version: number; settings: CurrentRuleSettings['settings'] } | null;
    deposits: DepositRow[];
    evaluations: EvaluationRow[];
    treatments: TreatmentRow[];
    lab: LabRow | null;
    first_visit: boolean;
    cuts: CutRow[];
  }[] = await manager.query(CLINICAL_CONTEXT, [change.clinicId, change.patientId, change.evaluatedDepositIds, change.date, change.labResultId]);
  return {
    // a clinic starts on version 1, the defaults; settings written by an older release lack newer keys: those take their defaults
    rules: row.settings ? { version: row.settings.version, settings: { ...DEFAULT_RULE_SETTINGS, ...row.settings.settings } } : { version: 1, settings: { ...DEFAULT_RULE_SETTINGS } },
    deposits: toHistories(row.deposits, row.evaluations, change),
    treatments: row.treatments.map(toTreatment),
    lab: row.lab ? toLab(row.lab) : null,
    firstVisit: row.first_visit,
    referenceCuts: row.cuts.map(toCut),
  };
}

function toHistories(deposits: DepositRow[], rows: EvaluationRow[], change: ClinicalChange): DepositHistory[] {
  const byDeposit = new Map<string, EvaluationRow[]>(deposits.map((d) => [d.id, []]));
  for (const r of rows) byDeposit.get(r.deposit_id)?.push(r);
  return deposits.map((d) => {
    let own = byDeposit.get(d.id)!;
    // An evaluated deposit's history ends with the evaluation of this visit (an amendment may correct an older one).
    const current = change.visitId ? own.findIndex((r) => r.visit_id === change.visitId) : -1;
    if (current >= 0) own = own.slice(0, current + 1);
    return {
      depositId: d.id,
      label: d.label,
      status: d.status,
      priorProcedureSite: d.prior_procedure_site,
      isNewAtThisVisit: change.visitId !== null && d.first_visit_id === change.visitId,
      evaluations: own.map(toPoint),
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
