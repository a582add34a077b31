import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { MeasurementInputDto } from './dto/evaluation-input.dto';
import { Evaluation, type Measurement } from './evaluation.entity';
import { measurementOf } from './evaluation.mapper';
import { preparedQuery } from '../database/prepared';
import { Visit } from './visit.entity';

/** SPEC's defaults: booleans false, drainage none, the rest null. */
export function measurementFromInput(input: MeasurementInputDto): Measurement {
  return {
    method: input.method,
    longestDiameterMm: input.longestDiameterMm,
    perpendicularDiameterMm: input.perpendicularDiameterMm ?? null,
    depthMm: input.depthMm ?? null,
    shape: input.shape ?? null,
    margin: input.margin ?? null,
    landmark: input.position?.landmark.trim() ?? null,
    xMm: input.position?.xMm ?? null,
    yMm: input.position?.yMm ?? null,
    mobility: input.mobility ?? null,
    ulcerated: input.ulcerated ?? false,
    infectionSigns: input.infectionSigns ?? false,
    inflammation: input.inflammation ?? false,
    nerveCompression: input.nerveCompression ?? false,
    drainage: input.drainage ?? 'none',
    painScore: input.painScore ?? null,
    notes: input.notes ?? null,
  };
}

/** The measured columns, in the order of `Measurement`'s fields, with their SQL types. */
const MEASURED: [keyof Measurement, string, string][] = [
  ['method', 'method', 'text'],
  ['longestDiameterMm', 'longest_diameter_mm', 'float8'],
  ['perpendicularDiameterMm', 'perpendicular_diameter_mm', 'float8'],
  ['depthMm', 'depth_mm', 'float8'],
  ['shape', 'shape', 'text'],
  ['margin', 'margin', 'text'],
  ['landmark', 'landmark', 'text'],
  ['xMm', 'x_mm', 'float8'],
  ['yMm', 'y_mm', 'float8'],
  ['mobility', 'mobility', 'text'],
  ['ulcerated', 'ulcerated', 'boolean'],
  ['infectionSigns', 'infection_signs', 'boolean'],
  ['inflammation', 'inflammation', 'boolean'],
  ['nerveCompression', 'nerve_compression', 'boolean'],
  ['drainage', 'drainage', 'text'],
  ['painScore', 'pain_score', 'smallint'],
  ['notes', 'notes', 'text'],
];

/**
 * The evaluations of one visit, each with its version 1: `$1` clinic, `$2` patient, `$3` visit,
 * `$4` visit date, `$5` recorder, `$6` the rows as JSON. With `visit`, the statement also inserts
 * the visit itself (its id `$3` chosen by the service): its row and its evaluations are checked
 * against each other at the end of the one statement, as every foreign key is.
 */
function evaluationsStatement(visit: boolean): string {
  return `
  WITH ${visit ? `visit AS (
    INSERT INTO visits (id, clinic_id, patient_id, visit_date, created_by) VALUES ($3, $1, $2, $4, $5) RETURNING created_at
  ), ` : ''}input AS (
    SELECT * FROM jsonb_to_recordset($6::jsonb) AS x(ord int, deposit_id uuid, data jsonb, ${MEASURED.map(([key, , type]) => `"${key}" ${type}`).join(', ')})
  ), stored AS (
    INSERT INTO evaluations (clinic_id, patient_id, deposit_id, visit_id, visit_date, version, ${MEASURED.map(([, column]) => column).join(', ')}, recorded_by)
    SELECT $1, $2, x.deposit_id, $3, $4, 1, ${MEASURED.map(([key]) => `x."${key}"`).join(', ')}, $5
      FROM input x ORDER BY x.ord
    RETURNING id, deposit_id, recorded_at, created_at
  ), versions AS (
    INSERT INTO evaluation_versions (clinic_id, evaluation_id, version, data, reason, recorded_by, recorded_at)
    SELECT $1, e.id, 1, x.data, NULL, $5, e.recorded_at
      FROM stored e JOIN input x ON x.deposit_id = e.deposit_id ORDER BY x.ord
  )
  SELECT e.id, e.deposit_id, e.recorded_at, e.created_at${visit ? ', (SELECT created_at FROM visit) AS visit_created_at' : ''} FROM stored e`;
}

/** Exported, as the next one, for the benchmark's replay of a visit's SQL (bench/lib/visit-sql.ts). */
export const INSERT_EVALUATIONS = evaluationsStatement(false);
/** A visit that creates no deposit: the visit and its evaluations in one round trip. */
export const INSERT_VISIT_WITH_EVALUATIONS = evaluationsStatement(true);

type StoredRow = { id: string; deposit_id: string; recorded_at: Date; created_at: Date; visit_created_at?: Date };

/**
 * Stores the evaluations of one visit, each with its version 1, in one statement (a round trip
 * per visit, not two per evaluation). A visit evaluates a deposit at most once, so the stored rows
 * are matched to their input by deposit; they are inserted (and numbered) in the order given.
 */
export async function insertEvaluations(manager: EntityManager, ids: VisitIds, inputs: { depositId: string; measurement: Measurement }[]): Promise<Evaluation[]> {
  if (!inputs.length) return [];
  return toEvaluations(ids, inputs, await storeRows(manager, INSERT_EVALUATIONS, ids, inputs));
}

/**
 * A visit that creates no deposit, with its evaluations (at least one), in one statement; the
 * visit's id is the service's own (a random UUID, as the column's default would be).
 */
export async function insertVisitWithEvaluations(
  manager: EntityManager,
  visit: Omit<VisitIds, 'visitId'>,
  inputs: { depositId: string; measurement: Measurement }[],
): Promise<{ visit: Visit; evaluations: Evaluation[] }> {
  const ids = { ...visit, visitId: randomUUID() };
  const stored = await storeRows(manager, INSERT_VISIT_WITH_EVALUATIONS, ids, inputs);
  return {
    visit: Object.assign(new Visit(), { id: ids.visitId, clinicId: ids.clinicId, patientId: ids.patientId, visitDate: ids.visitDate, createdBy: ids.actorId, createdAt: stored[0].visit_created_at! }),
    evaluations: toEvaluations(ids, inputs, stored),
  };
}

export interface VisitIds {
  clinicId: string;
  patientId: string;
  visitId: string;
  visitDate: string;
  actorId: string;
}

function storeRows(manager: EntityManager, statement: string, ids: VisitIds, inputs: { depositId: string; measurement: Measurement }[]): Promise<StoredRow[]> {
  const rows = inputs.map(({ depositId, measurement }, ord) => ({ ord, deposit_id: depositId, data: measurementOf(measurement), ...measurementOf(measurement) }));
  return preparedQuery<StoredRow>(manager, statement, [ids.clinicId, ids.patientId, ids.visitId, ids.visitDate, ids.actorId, JSON.stringify(rows)]);
}

function toEvaluations(ids: VisitIds, inputs: { depositId: string; measurement: Measurement }[], stored: StoredRow[]): Evaluation[] {
  const byDeposit = new Map(stored.map((r) => [r.deposit_id, r]));
  return inputs.map(({ depositId, measurement }) => {
    const row = byDeposit.get(depositId)!;
    return Object.assign(new Evaluation(), {
      id: row.id,
      clinicId: ids.clinicId,
      patientId: ids.patientId,
      depositId,
      visitId: ids.visitId,
      visitDate: ids.visitDate,
      version: 1,
      ...measurementOf(measurement),
      recordedBy: ids.actorId,
      recordedAt: row.recorded_at,
      createdAt: row.created_at,
    });
  });
}
