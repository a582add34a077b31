import type { EntityManager } from 'typeorm';
import { writeAuditEvent } from './audit-writer';

export interface SystemAuditEvent {
  clinicId: string;
  patientId: string | null;
  action: string;
  recordType: string;
  recordId: string;
  outcome: 'success' | 'error';
  statusCode: number | null;
}

/**
 * An audit event of background work, which has no request: the actor is the system (no actor id,
 * role `system`), no client address, no request id. Written in the work's own transaction.
 */
export function auditSystemEvent(manager: EntityManager, e: SystemAuditEvent): Promise<void> {
  return writeAuditEvent(manager, { ...e, actorId: null, actorRole: 'system', clientIp: null, requestId: null });
}
