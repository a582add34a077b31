import type { Request } from 'express';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { auditRouteOf } from './audit-route';
import { type AuditEventInput, outcomeOf, writeAuditEvent } from './audit-writer';

export type AuditedRequest = Request & { user?: AuthUser; id?: string; route?: { path: string } };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Records reached by a route without a patient in their path; their patient is looked up. */
const PATIENT_OF_RECORD: Record<string, string> = {
  deposit: 'deposits',
  visit: 'visits',
  evaluation: 'evaluations',
  treatment: 'treatments',
  alert: 'alerts',
};

export function isAuditedPath(path: string): boolean {
  return path.startsWith('/api/');
}

function resultField(result: unknown, field: string): string | null {
  const value = result && typeof result === 'object' ? (result as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' ? value : null;
}

/**
 * The one audit event of a request. On success it is written in the request's own transaction
 * (with the change it records); the patient comes from the path, the result, or the record's row.
 */
export async function auditRequest(manager: EntityManager, req: AuditedRequest, statusCode: number, result?: unknown): Promise<void> {
  await writeAuditEvent(manager, await auditEventOf(manager, req, statusCode, result));
}

/** The request's audit event, not yet written (`auditRequest` writes it; a request transaction sends it with its COMMIT). */
export async function auditEventOf(manager: EntityManager, req: AuditedRequest, statusCode: number, result?: unknown): Promise<AuditEventInput> {
  const route = auditRouteOf(req.method, req.route?.path ?? req.path);
  const params = (req.params ?? {}) as Record<string, string>;
  const success = statusCode < 400;
  const recordId = (route.recordIdParam ? params[route.recordIdParam] : null) ?? (success ? resultField(result, 'id') : null);
  let patientId = route.patientParam ? params[route.patientParam] : success ? resultField(result, 'patientId') : null;
  const table = route.recordType ? PATIENT_OF_RECORD[route.recordType] : undefined;
  if (!patientId && success && table && recordId && UUID.test(recordId) && req.user) {
    const [row]: { patient_id: string }[] = await manager.query(`SELECT patient_id FROM ${table} WHERE clinic_id = $1 AND id = $2`, [req.user.clinicId, recordId]);
    patientId = row?.patient_id ?? null;
  }
  if (!patientId && success && route.recordType === 'patient') patientId = recordId;
  return {
    clinicId: req.user?.clinicId ?? null,
    actorId: req.user?.id ?? null,
    actorRole: req.user?.role ?? null,
    // a denied request never confirms whose record an id is: only the path says
    patientId: success || route.patientParam ? patientId : null,
    action: route.action,
    recordType: route.recordType,
    recordId,
    outcome: outcomeOf(statusCode),
    statusCode,
    clientIp: req.ip ?? null,
    requestId: req.id ?? null,
  };
}
