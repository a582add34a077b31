import type { AlertEvent } from '../notifications/notification-outbox';

/** A notification as the outbox holds it. */
export interface NotificationRow {
  id: string;
  clinic_id: string;
  seq: string;
  event: AlertEvent;
  alert_id: string;
  patient_id: string;
  deposit_id: string | null;
  rule: string;
  severity: string;
  previous_severity: string | null;
  status: string;
  created_at: Date;
}

/**
 * The body of a webhook, in the Standard Webhooks shape `{type, timestamp, data}`. Ids and codes
 * only: no name, MRN, birth date, measurement or alert message. A receiver that needs more reads
 * the alert from `alertUrl` with its own credentials.
 */
export interface WebhookPayload {
  type: AlertEvent;
  timestamp: string;
  data: {
    alertId: string;
    clinicId: string;
    patientId: string;
    depositId: string | null;
    rule: string;
    severity: string;
    previousSeverity?: string;
    status: string;
    alertUrl: string;
  };
}

export function webhookPayload(n: NotificationRow, publicUrl: string): WebhookPayload {
  return {
    type: n.event,
    timestamp: new Date(n.created_at).toISOString(),
    data: {
      alertId: n.alert_id,
      clinicId: n.clinic_id,
      patientId: n.patient_id,
      depositId: n.deposit_id,
      rule: n.rule,
      severity: n.severity,
      ...(n.previous_severity ? { previousSeverity: n.previous_severity } : {}),
      status: n.status,
      alertUrl: `${publicUrl}/api/v1/alerts/${n.alert_id}`,
    },
  };
}
