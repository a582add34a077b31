import type { EntityManager } from 'typeorm';
import type { Severity } from '../change-detection/types';

export const ALERT_EVENTS = ['alert.raised', 'alert.escalated', 'alert.resolved'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

/** The facts of an alert an event records: ids and codes, never its message (it holds measurements). */
export interface AlertFacts {
  id: string;
  clinicId: string;
  patientId: string;
  depositId: string | null;
  rule: string;
  severity: Severity;
  status: 'open' | 'acknowledged' | 'resolved';
}

/**
 * The transactional outbox: records that an alert was raised, escalated or resolved, in the
 * caller's transaction (the one that changed the alert). It commits with the alert or not at all;
 * the dispatcher delivers it afterwards.
 */
export async function recordAlertEvent(manager: EntityManager, alert: AlertFacts, event: AlertEvent, previousSeverity: Severity | null = null): Promise<void> {
  await manager.query(
    `INSERT INTO notifications (clinic_id, event, alert_id, patient_id, deposit_id, rule, severity, previous_severity, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [alert.clinicId, event, alert.id, alert.patientId, alert.depositId, alert.rule, alert.severity, previousSeverity, alert.status],
  );
}
