import type { EntityManager } from 'typeorm';
import type { DepositHistory, EvaluationPoint, LabPoint, TreatmentPoint } from '../change-detection/types';
import type { ReferenceCut } from '../change-detection/detect-changes';
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

export async function loadDepositHistories(manager: EntityManager, change: ClinicalChange): Promise<DepositHistory[]> {
  const deposits: { id: string; label: string; status: DepositHistory['status']; prior_procedure_site: boolean; first_visit_id: string | null }[] =
    await manager.query(
      `SELECT id, label, status, prior_procedure_site, first_visit_id FROM deposits
        WHERE clinic_id = $1 AND patient_id = $2 AND (status = 'active' OR id = ANY($3::uuid[]))
        ORDER BY seq`,
      [change.clinicId, change.patientId, change.evaluatedDepositIds],
    );
  if (!deposits.length) return [];
  const rows: (EvaluationRow & { seq: string })[] = await manager.query(
    `SELECT e.id, e.deposit_id, e.visit_id, e.visit_date, e.method, e.longest_diameter_mm, e.shape, e.margin,
            e.landmark, e.x_mm, e.y_mm, e.mobility, e.ulcerated, e.infection_signs, e.inflammation,
            e.nerve_compression, e.drainage, e.pain_score, e.seq
       FROM evaluations e
      WHERE e.clinic_id = $1 AND e.deposit_id = ANY($2::uuid[]) AND e.visit_date <= $3
      ORDER BY e.visit_date, e.seq`,
    [change.clinicId, deposits.map((d) => d.id), change.date],
  );
  return deposits.map((d) => {
    let own = rows.filter((r) => r.deposit_id === d.id);
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

export async function loadTreatments(manager: EntityManager, clinicId: string, patientId: string): Promise<TreatmentPoint[]> {
  const rows: { id: string; kind: string; deposit_id: string | null; started_on: string; ended_on: string | null }[] = await manager.query(
    `SELECT id, kind, deposit_id, started_on, ended_on FROM treatments WHERE clinic_id = $1 AND patient_id = $2 ORDER BY started_on`,
    [clinicId, patientId],
  );
  return rows.map((r) => ({ id: r.id, kind: r.kind, depositId: r.deposit_id, startedOn: r.started_on, endedOn: r.ended_on }));
}

export async function loadLab(manager: EntityManager, clinicId: string, labResultId: string | null): Promise<LabPoint | null> {
  if (!labResultId) return null;
  const [row]: { id: string; collected_on: string; corrected_calcium_mg_dl: number | null; calcium_phosphate_product: number | null }[] = await manager.query(
    `SELECT id, collected_on, corrected_calcium_mg_dl, calcium_phosphate_product FROM lab_results WHERE clinic_id = $1 AND id = $2`,
    [clinicId, labResultId],
  );
  return row ? { id: row.id, collectedOn: row.collected_on, correctedCalciumMgDl: row.corrected_calcium_mg_dl, calciumPhosphateProduct: row.calcium_phosphate_product } : null;
}

/** Is this the patient's first visit (no visit on an earlier date)? */
export async function isFirstVisit(manager: EntityManager, change: ClinicalChange): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM visits WHERE clinic_id = $1 AND patient_id = $2 AND visit_date < $3 LIMIT 1`,
    [change.clinicId, change.patientId, change.date],
  );
  return rows.length === 0;
}

/** For each (rule, deposit) a physician has decided on, the date of the record current at the latest decision. */
export async function loadReferenceCuts(manager: EntityManager, clinicId: string, patientId: string): Promise<ReferenceCut[]> {
  const rows: { rule: ReferenceCut['rule']; deposit_id: string | null; reference_date: string | null }[] = await manager.query(
    `SELECT DISTINCT ON (rule, deposit_id) rule, deposit_id, reference_date
       FROM alerts
      WHERE clinic_id = $1 AND patient_id = $2 AND status = 'resolved' AND reference_date IS NOT NULL
      ORDER BY rule, deposit_id, resolved_at DESC`,
    [clinicId, patientId],
  );
  return rows.map((r) => ({ rule: r.rule, depositId: r.deposit_id, decisionDate: r.reference_date! }));
}
