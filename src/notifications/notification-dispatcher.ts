import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { setTransactionClinic } from '../database/tenant-context';
import { JobQueue } from '../jobs/job-queue';
import { webhookPayload, type NotificationRow } from '../webhooks/webhook-payload';
import { WEBHOOK_QUEUE } from '../webhooks/webhook-delivery.worker';
import { EMAIL_QUEUE } from './email-delivery.worker';
import { Mailer } from './mailer';
import { atLeast, SEVERITIES } from './notification-settings';
import { currentNotificationSettings } from './notification-settings.store';

const BATCH = 200;

/**
 * Moves the outbox onto pg-boss. Every `pollMs` each instance
 * 1. fans new notifications out, clinic by clinic (one dispatcher per clinic at a time, an
 *    advisory lock, so a clinic's deliveries are created in notification order): the webhook
 *    body is fixed, one delivery per matching subscription, one e-mail per recipient when the
 *    alert is severe enough; and queues their jobs, all in one transaction;
 * 2. queues a job for each subscription whose first pending delivery is due and that no worker
 *    holds, and for each e-mail that is due (retries, and work a crashed instance left behind).
 * Jobs are queued in the transaction that found the work; the queues keep one waiting job per
 * subscription or e-mail.
 */
@Injectable()
export class NotificationDispatcher implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('NotificationDispatcher');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobQueue,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.onStarted(() => {
      const tick = () => {
        this.running ??= this.runOnce()
          .catch((err: Error) => {
            if (this.jobs.running) this.logger.warn(`dispatch failed: ${err.name}: ${String(err.message).slice(0, 200)}`);
          })
          .finally(() => (this.running = null));
      };
      tick();
      this.timer = setInterval(tick, this.config.notifications.pollMs);
      this.timer.unref();
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass: fan out what is new, queue what is due. */
  async runOnce(): Promise<void> {
    const clinics: { clinic_id: string }[] = await this.db.query(`SELECT clinic_id FROM notification_outbox_clinics($1)`, [100]);
    for (const { clinic_id } of clinics) {
      while (!this.jobs.stopping && (await this.dispatchClinic(clinic_id)) === BATCH);
    }
    if (!this.jobs.stopping) await this.queueDueWork();
  }

  /** Fans out up to a batch of the clinic's new notifications; returns how many. */
  private async dispatchClinic(clinicId: string): Promise<number> {
    const outcome = await this.db.transaction(async (m) => {
      await setTransactionClinic(m, clinicId);
      const [{ locked }]: { locked: boolean }[] = await m.query(`SELECT pg_try_advisory_xact_lock(hashtextextended('notification-dispatch:' || $1, 0)) AS locked`, [clinicId]);
      if (!locked) return { count: 0, subscriptions: 0, emails: 0 };
      const rows: NotificationRow[] = await m.query(
        `SELECT id, clinic_id, seq, event, alert_id, patient_id, deposit_id, rule, severity, previous_severity, status, created_at
           FROM notifications WHERE clinic_id = $1 AND dispatched_at IS NULL ORDER BY seq LIMIT $2`,
        [clinicId, BATCH],
      );
      if (!rows.length) return { count: 0, subscriptions: 0, emails: 0 };
      for (const n of rows) {
        await m.query(`UPDATE notifications SET payload = $3, dispatched_at = now() WHERE clinic_id = $1 AND id = $2`, [clinicId, n.id, JSON.stringify(webhookPayload(n, this.config.notifications.publicUrl))]);
      }
      const subscriptions = await this.createWebhookDeliveries(m, clinicId, rows);
      const emails = await this.createEmails(m, clinicId, rows);
      for (const subscriptionId of subscriptions) await this.jobs.sendWithin(m, WEBHOOK_QUEUE, { clinicId, subscriptionId }, { singletonKey: subscriptionId });
      for (const emailId of emails) await this.jobs.sendWithin(m, EMAIL_QUEUE, { clinicId, emailId }, { singletonKey: emailId });
      return { count: rows.length, subscriptions: subscriptions.length, emails: emails.length };
    });
    if (outcome.subscriptions) this.jobs.wake(WEBHOOK_QUEUE);
    if (outcome.emails) this.jobs.wake(EMAIL_QUEUE);
    return outcome.count;
  }

  /** One delivery per notification and matching subscription (filters: events, minimum severity); returns the subscriptions concerned. */
  private async createWebhookDeliveries(m: EntityManager, clinicId: string, rows: NotificationRow[]): Promise<string[]> {
    const created: { subscription_id: string }[] = await m.query(
      `INSERT INTO webhook_deliveries (clinic_id, subscription_id, notification_id, notification_seq, next_attempt_at)
       SELECT n.clinic_id, s.id, n.id, n.seq, now()
         FROM notifications n JOIN webhook_subscriptions s ON s.clinic_id = n.clinic_id
        WHERE n.clinic_id = $1 AND n.id = ANY($2::uuid[])
          AND s.enabled AND s.deleted_at IS NULL
          AND (s.events IS NULL OR n.event = ANY(s.events))
          AND (s.min_severity IS NULL OR array_position($3::text[], n.severity) >= array_position($3::text[], s.min_severity))
       ON CONFLICT DO NOTHING
       RETURNING subscription_id`,
      [clinicId, rows.map((r) => r.id), SEVERITIES],
    );
    return [...new Set(created.map((c) => c.subscription_id))];
  }

  /**
   * An e-mail per recipient for a raised or escalated alert at or above the clinic's severity:
   * the patient's responsible physician, or every active physician of the clinic when the patient
   * has none (or theirs is no longer active). Only when this service sends mail at all.
   */
  private async createEmails(m: EntityManager, clinicId: string, rows: NotificationRow[]): Promise<string[]> {
    if (!this.mailer.enabled) return [];
    const { settings } = await currentNotificationSettings(m, clinicId);
    if (!settings.emailAlerts) return [];
    const ids: string[] = [];
    for (const n of rows) {
      if (n.event === 'alert.resolved' || !atLeast(n.severity, settings.emailMinSeverity)) continue;
      const created: { id: string }[] = await m.query(
        `INSERT INTO email_deliveries (clinic_id, kind, notification_id, recipient_id, content)
         SELECT p.clinic_id, 'alert', $3, u.id,
                jsonb_build_object('kind', 'alert', 'alertId', $4::text, 'rule', $5::text, 'severity', $6::text, 'event', $7::text,
                                   'reason', CASE WHEN u.id = p.responsible_physician_id THEN 'responsible' ELSE 'clinic' END)
           FROM patients p JOIN users u ON u.clinic_id = p.clinic_id
          WHERE p.clinic_id = $1 AND p.id = $2 AND u.role = 'physician' AND u.active
            AND (u.id = p.responsible_physician_id
                 OR NOT EXISTS (SELECT 1 FROM users r WHERE r.clinic_id = p.clinic_id AND r.id = p.responsible_physician_id AND r.role = 'physician' AND r.active))
         ON CONFLICT DO NOTHING
         RETURNING id`,
        [clinicId, n.patient_id, n.id, n.alert_id, n.rule, n.severity, n.event],
      );
      ids.push(...created.map((c) => c.id));
    }
    return ids;
  }

  /** Jobs for the subscriptions and e-mails whose time has come (and that no worker holds). */
  private async queueDueWork(): Promise<void> {
    const queued = await this.db.transaction(async (m) => {
      const subscriptions: { clinic_id: string; id: string }[] = await m.query(`SELECT clinic_id, id FROM webhook_subscriptions_due($1)`, [100]);
      for (const s of subscriptions) await this.jobs.sendWithin(m, WEBHOOK_QUEUE, { clinicId: s.clinic_id, subscriptionId: s.id }, { singletonKey: s.id });
      const emails: { clinic_id: string; id: string }[] = this.mailer.enabled ? await m.query(`SELECT clinic_id, id FROM email_deliveries_due($1)`, [100]) : [];
      for (const e of emails) await this.jobs.sendWithin(m, EMAIL_QUEUE, { clinicId: e.clinic_id, emailId: e.id }, { singletonKey: e.id });
      return { subscriptions: subscriptions.length, emails: emails.length };
    });
    if (queued.subscriptions) this.jobs.wake(WEBHOOK_QUEUE);
    if (queued.emails) this.jobs.wake(EMAIL_QUEUE);
  }
}
