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
  const values = [
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
  if (e.clinicId === null) {
    await preparedQuery(
      manager,
      `INSERT INTO audit_events_unscoped (actor_id, actor_role, patient_id, action, record_type, record_id, outcome, status_code, client_ip, request_id, seq, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, '', '')`,
      values,
    );
    return;
  }
  await preparedQuery(
    manager,
    INSERT_AUDIT_EVENT,
    [...values, e.clinicId],
  );
}

export function outcomeOf(statusCode: number): AuditOutcome {
  if (statusCode < 400) return 'success';
  if (statusCode === 401 || statusCode === 403 || statusCode === 429) return 'denied';
  if (statusCode === 404) return 'not-found';
  if (statusCode < 500) return 'rejected';
  return 'error';
}
