import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { auditSystemEvent } from '../audit/system-audit';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { setTransactionClinic } from '../database/tenant-context';
import { JobQueue } from '../jobs/job-queue';
import { afterFailure } from './retry-schedule';
import { resolveTarget, UnsafeWebhookUrl, type CheckedTarget } from './ssrf-guard';
import { postDelivery, type AttemptResult } from './webhook-sender';
import { signDelivery } from './webhook-signer';

export const WEBHOOK_QUEUE = 'webhook-delivery';

export interface WebhookJob {
  clinicId: string;
  subscriptionId: string;
}

interface SubscriptionRow {
  id: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_valid: boolean;
  enabled: boolean;
  deleted: boolean;
}

interface HeadRow {
  id: string;
  attempts: number;
  first_attempt_at: Date | null;
  due: boolean;
  notification_id: string;
  patient_id: string;
  payload: unknown;
}

type Step = 'attempted' | 'busy' | 'idle';

/**
 * Delivers a subscription's webhooks one at a time, in notification order. A job names a
 * subscription; the worker takes the subscription's row lock (FOR NO KEY UPDATE SKIP LOCKED: a
 * second worker, in this instance or another, skips it rather than waits) and keeps it for the
 * whole attempt, so no two attempts for one subscription are ever out at once. The first pending
 * delivery blocks the ones after it until it is delivered or dead.
 *
 * Each attempt is logged before the request leaves, in a transaction of its own, so an attempt
 * cut short by a crash stays in the log (the next worker marks it interrupted). The outcome, the
 * delivery's new state and the audit event commit together; a crash before that leaves the
 * delivery pending, and it is sent again with the same `webhook-id`, which the receiver
 * deduplicates on.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnModuleInit {
  private readonly logger = new Logger('WebhookDelivery');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.define<WebhookJob>({
      queue: WEBHOOK_QUEUE,
      policy: 'short',
      concurrency: 2,
      expireInSeconds: 300,
      retryLimit: 3,
      retryDelaySeconds: 5,
      handler: async ({ clinicId, subscriptionId }) => {
        await this.drain(clinicId, subscriptionId);
      },
    });
  }

  /** Attempts the subscription's due deliveries in order until one must wait (or time is up). Returns the attempts made. */
  async drain(clinicId: string, subscriptionId: string, budgetMs = 60_000): Promise<number> {
    const until = Date.now() + budgetMs;
    let attempts = 0;
    while (!this.jobs.stopping && Date.now() < until) {
      if ((await this.deliverNext(clinicId, subscriptionId)) !== 'attempted') break;
      attempts += 1;
    }
    return attempts;
  }

  private deliverNext(clinicId: string, subscriptionId: string): Promise<Step> {
    return this.db.transaction(async (m): Promise<Step> => {
      await setTransactionClinic(m, clinicId);
      const [sub]: SubscriptionRow[] = await m.query(
        `SELECT id, url, secret, previous_secret, coalesce(previous_secret_expires_at > now(), false) AS previous_secret_valid,
                enabled, deleted_at IS NOT NULL AS deleted
           FROM webhook_subscriptions WHERE clinic_id = $1 AND id = $2
            FOR NO KEY UPDATE SKIP LOCKED`,
        [clinicId, subscriptionId],
      );
      if (!sub) return 'busy';
      if (!sub.enabled || sub.deleted) return 'idle';
      await this.closeInterruptedAttempts(m, clinicId, subscriptionId);
      const [head]: HeadRow[] = await m.query(
        `SELECT d.id, d.attempts, d.first_attempt_at, d.next_attempt_at <= now() AS due, n.id AS notification_id, n.patient_id, n.payload
           FROM webhook_deliveries d JOIN notifications n ON n.clinic_id = d.clinic_id AND n.id = d.notification_id
          WHERE d.clinic_id = $1 AND d.subscription_id = $2 AND d.state = 'pending'
          ORDER BY d.notification_seq LIMIT 1`,
        [clinicId, subscriptionId],
      );
      if (!head || !head.due) return 'idle';
      await this.attemptOnce(m, clinicId, sub, head);
      return 'attempted';
    });
  }

  private async attemptOnce(m: EntityManager, clinicId: string, sub: SubscriptionRow, head: HeadRow): Promise<void> {
    const attempt = head.attempts + 1;
    const startedAt = new Date();
    const attemptId = await this.logAttemptStart(clinicId, head.id, attempt, startedAt);
    const result = await this.post(sub, head, startedAt);
    const finishedAt = new Date();
    const { webhooks } = this.config.notifications;
    const decision = result.delivered
      ? null
      : afterFailure(attempt, head.first_attempt_at ?? startedAt, finishedAt, { baseSeconds: webhooks.retryBaseSeconds, maxDelaySeconds: webhooks.maxRetryDelaySeconds, giveUpAfterSeconds: webhooks.giveUpAfterSeconds });
    const nextAttemptAt = decision?.kind === 'retry' ? decision.at : null;
    const state = result.delivered ? 'delivered' : decision?.kind === 'dead' ? 'dead' : 'pending';

    await m.query(
      `UPDATE webhook_delivery_attempts SET outcome = $3, duration_ms = $4, status_code = $5, error = $6, next_attempt_at = $7
        WHERE clinic_id = $1 AND id = $2`,
      [clinicId, attemptId, result.delivered ? 'delivered' : 'failed', result.durationMs, result.statusCode, result.error, nextAttemptAt],
    );
    await m.query(
      `UPDATE webhook_deliveries
          SET attempts = $3, first_attempt_at = coalesce(first_attempt_at, $4), last_status_code = $5, last_error = $6,
              state = $7, next_attempt_at = $8, delivered_at = CASE WHEN $7 = 'delivered' THEN now() ELSE delivered_at END, updated_at = now()
        WHERE clinic_id = $1 AND id = $2`,
      [clinicId, head.id, attempt, startedAt, result.statusCode, result.error, state, nextAttemptAt],
    );
    await auditSystemEvent(m, {
      clinicId,
      patientId: head.patient_id,
      action: 'webhook-delivery.attempt',
      recordType: 'webhook-delivery',
      recordId: head.id,
      outcome: result.delivered ? 'success' : 'error',
      statusCode: result.statusCode,
    });
    if (state === 'dead') this.logger.warn(`webhook delivery ${head.id} is dead after ${attempt} attempts (last: ${result.error})`);
    else if (!result.delivered) this.logger.log(`webhook delivery ${head.id} attempt ${attempt} failed (${result.error}); next at ${nextAttemptAt?.toISOString()}`);
  }

  /** The signed POST, to an address checked against SSRF now (the name may point elsewhere than at creation). */
  private async post(sub: SubscriptionRow, head: HeadRow, at: Date): Promise<AttemptResult> {
    const { webhooks } = this.config.notifications;
    let target: CheckedTarget;
    try {
      target = await resolveTarget(sub.url, { allowHosts: webhooks.allowHosts });
    } catch (err) {
      if (!(err instanceof UnsafeWebhookUrl)) throw err;
      return { delivered: false, statusCode: null, error: `refused: ${err.message}`.slice(0, 300), durationMs: Math.round(Date.now() - at.getTime()) };
    }
    const body = JSON.stringify(head.payload);
    const secrets = sub.previous_secret && sub.previous_secret_valid ? [sub.secret, sub.previous_secret] : [sub.secret];
    const headers = signDelivery(head.notification_id, at, body, secrets);
    return postDelivery(target, { ...headers }, body, webhooks.timeoutMs);
  }

  /** Logged and committed before the request leaves: a crash cannot erase it. */
  private async logAttemptStart(clinicId: string, deliveryId: string, attempt: number, startedAt: Date): Promise<string> {
    return this.db.transaction(async (m) => {
      await setTransactionClinic(m, clinicId);
      const [row]: { id: string }[] = await m.query(
        `INSERT INTO webhook_delivery_attempts (clinic_id, delivery_id, attempt, started_at, outcome) VALUES ($1, $2, $3, $4, 'in-progress') RETURNING id`,
        [clinicId, deliveryId, attempt, startedAt],
      );
      return row.id;
    });
  }

  /**
   * Attempts left in progress by a worker that died (its process was killed, or its transaction
   * failed): this worker holds the subscription's lock, so none of them is still out.
   */
  private async closeInterruptedAttempts(m: EntityManager, clinicId: string, subscriptionId: string): Promise<void> {
    const interrupted: { delivery_id: string; attempt: number; started_at: Date; patient_id: string }[] = await m.query(
      `UPDATE webhook_delivery_attempts a
          SET outcome = 'interrupted', error = 'the service stopped during this attempt'
         FROM webhook_deliveries d JOIN notifications n ON n.clinic_id = d.clinic_id AND n.id = d.notification_id
        WHERE a.clinic_id = $1 AND a.outcome = 'in-progress'
          AND d.clinic_id = a.clinic_id AND d.id = a.delivery_id AND d.subscription_id = $2
        RETURNING a.delivery_id, a.attempt, a.started_at, n.patient_id`,
      [clinicId, subscriptionId],
    ).then((r: [unknown[], number]) => r[0] as never);
    for (const row of interrupted) {
      await m.query(
        `UPDATE webhook_deliveries SET attempts = greatest(attempts, $3), first_attempt_at = coalesce(first_attempt_at, $4), last_error = 'the service stopped during an attempt', updated_at = now()
          WHERE clinic_id = $1 AND id = $2`,
        [clinicId, row.delivery_id, row.attempt, row.started_at],
      );
      await auditSystemEvent(m, { clinicId, patientId: row.patient_id, action: 'webhook-delivery.attempt', recordType: 'webhook-delivery', recordId: row.delivery_id, outcome: 'error', statusCode: null });
    }
  }
}
