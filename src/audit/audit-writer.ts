import { escapeLiteral } from 'pg';
import type { EntityManager } from 'typeorm';
import type { AuditOutcome } from './audit-event.entity';
import { preparedQuery } from '../database/prepared';

export interface AuditEventInput {
  clinicId: string | null;
  actorId: string | null;
  actorRole: string | null;
  patientId: string | null;
  action: string;
  recordType: string | null;
  recordId: string | null;
  outcome: AuditOutcome;
  statusCode: number | null;
  clientIp: string | null;
  requestId: string | null;
}

/** A clinic's event: `$11` is the clinic, `$1`–`$10` as the values of `writeAuditEvent`. */
export const INSERT_AUDIT_EVENT = `INSERT INTO audit_events (clinic_id, actor_id, actor_role, patient_id, action, record_type, record_id, outcome, status_code, client_ip, request_id, seq, prev_hash, hash)
     VALUES ($11, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, '', '')`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids and codes only — never a name, an MRN or a body. The database chains the row: a clinic's
 * event to its clinic's chain in `audit_events`, an event of no clinic (an unknown email, a
 * request without a valid token) to the chain of `audit_events_unscoped`.
 */
export async function writeAuditEvent(manager: EntityManager, e: AuditEventInput): Promise<void> {
  const values = valuesOf(e);
  if (e.clinicId === null) {
    await preparedQuery(
      manager,
      `INSERT INTO audit_events_unscoped (actor_id, actor_role, patient_id, action, record_type, record_id, outcome, status_code, client_ip, request_id, seq, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, '', '')`,
      values,
    );
    return;
  }
  await preparedQuery(manager, INSERT_AUDIT_EVENT, [...values, e.clinicId]);
}

/**
 * A clinic's event as one self-contained statement, its values written in as literals (pg's
 * `escapeLiteral`), for a request's transaction to send together with its COMMIT: one round trip
 * for both (src/database/tenant-context.ts). The same row as `writeAuditEvent` writes.
 */
export function auditEventStatement(e: AuditEventInput & { clinicId: string }): string {
  const literal = (v: string | number | null) => (v === null ? 'NULL' : escapeLiteral(String(v)));
  const values = [...valuesOf(e), e.clinicId].map(literal);
  return INSERT_AUDIT_EVENT.replace(/\$(\d+)/g, (_, n: string) => values[Number(n) - 1]);
}

/** `$1`–`$10` of the INSERTs: ids and codes, the patient only when it is a UUID, the record id at most 100 characters. */
function valuesOf(e: AuditEventInput): (string | number | null)[] {
  return [
    e.actorId,
    e.actorRole,
    e.patientId && UUID.test(e.patientId) ? e.patientId : null,
    e.action,
    e.recordType,
    e.recordId ? e.recordId.slice(0, 100) : null,
    e.outcome,
    e.statusCode,
    e.clientIp,
    e.requestId,
  ];
}

export function outcomeOf(statusCode: number): AuditOutcome {
  if (statusCode < 400) return 'success';
  if (statusCode === 401 || statusCode === 403 || statusCode === 429) return 'denied';
  if (statusCode === 404) return 'not-found';
  if (statusCode < 500) return 'rejected';
  return 'error';
}
