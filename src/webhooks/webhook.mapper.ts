import type { AlertEvent } from '../notifications/notification-outbox';
import type { Severity } from '../change-detection/types';
import type { DeliveryAttemptDto, DeliveryDto, DeliveryState, WebhookDto } from './dto/webhook.dto';

export interface SubscriptionRecord {
  id: string;
  url: string;
  description: string | null;
  events: AlertEvent[] | null;
  min_severity: Severity | null;
  enabled: boolean;
  previous_secret_expires_at: Date | null;
  version: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The columns a subscription is read with: never its secrets. */
export const SUBSCRIPTION_COLUMNS = 'id, url, description, events, min_severity, enabled, previous_secret_expires_at, version, created_by, created_at, updated_at';

export function toWebhookDto(r: SubscriptionRecord): WebhookDto {
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    events: r.events,
    minSeverity: r.min_severity,
    enabled: r.enabled,
    previousSecretExpiresAt: r.previous_secret_expires_at && r.previous_secret_expires_at > new Date() ? r.previous_secret_expires_at : null,
    version: r.version,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface DeliveryRecord {
  id: string;
  notification_id: string;
  event: AlertEvent;
  alert_id: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
  notification_seq: string;
}

export interface AttemptRecord {
  delivery_id: string;
  attempt: number;
  started_at: Date;
  outcome: DeliveryAttemptDto['outcome'];
  duration_ms: number | null;
  status_code: number | null;
  error: string | null;
  next_attempt_at: Date | null;
}

export function toDeliveryDto(d: DeliveryRecord, attempts: AttemptRecord[]): DeliveryDto {
  return {
    id: d.id,
    webhookId: d.notification_id,
    event: d.event,
    alertId: d.alert_id,
    state: d.state,
    attempts: d.attempts,
    nextAttemptAt: d.next_attempt_at,
    lastStatusCode: d.last_status_code,
    lastError: d.last_error,
    deliveredAt: d.delivered_at,
    createdAt: d.created_at,
    attemptLog: attempts.map((a) => ({
      attempt: a.attempt,
      startedAt: a.started_at,
      outcome: a.outcome,
      durationMs: a.duration_ms,
      statusCode: a.status_code,
      error: a.error,
      nextAttemptAt: a.next_attempt_at,
    })),
  };
}
