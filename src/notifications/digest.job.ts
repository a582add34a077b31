import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Severity } from '../change-detection/types';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { setTransactionClinic } from '../database/tenant-context';
import { JobQueue } from '../jobs/job-queue';
import { EMAIL_QUEUE, type EmailContent } from './email-delivery.worker';
import type { DigestItem } from './mail-messages';
import { Mailer } from './mailer';
import { digestDayAt } from './notification-settings';
import { currentNotificationSettings } from './notification-settings.store';

export const DIGEST_QUEUE = 'notification-digest';
const JOB_RUN = 'notification-digest';
/** alerts listed in one digest; the rest are counted */
const PAGE = 50;
const DAY_MS = 86_400_000;

interface DigestRow {
  recipient_id: string;
  alert_id: string;
  rule: string;
  severity: Severity;
  status: 'open' | 'acknowledged';
  created_at: Date;
}

/**
 * The daily digest: at DIGEST_HOUR (UTC) pg-boss's scheduler fires once across instances; each
 * clinic's day is claimed in job_runs (so it is built once, whatever fires it), and every active
 * physician who has not opted out gets the unresolved alerts of their patients and of patients
 * without a responsible physician, one e-mail row each. A job that runs outside the digest hour
 * (picked up after an outage) does nothing: the digest never arrives as a catch-up.
 */
@Injectable()
export class DigestJob implements OnModuleInit {
  private readonly logger = new Logger('DigestJob');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobQueue,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.define({
      queue: DIGEST_QUEUE,
      policy: 'short',
      concurrency: 1,
      expireInSeconds: 1800,
      retryLimit: 2,
      retryDelaySeconds: 60,
      cron: `0 ${this.config.notifications.digestHour} * * *`,
      handler: async () => {
        await this.run(new Date());
      },
    });
  }

  /** Builds every clinic's digests due at `now`; returns how many e-mails it queued. */
  async run(now: Date): Promise<number> {
    if (!this.dueDay(now)) return 0;
    const clinics: { clinic_id: string }[] = await this.db.query(`SELECT clinic_id FROM clinics ORDER BY clinic_id`);
    let queued = 0;
    for (const { clinic_id } of clinics) queued += await this.runForClinic(clinic_id, now);
    return queued;
  }

  /** One clinic's digests due at `now` (each a transaction with its claim); returns how many e-mails it queued. */
  async runForClinic(clinicId: string, now: Date): Promise<number> {
    const day = this.dueDay(now);
    if (!day) return 0;
    const queued = await this.db.transaction((m) => this.digestClinic(m, clinicId, day, now));
    if (queued) this.jobs.wake(EMAIL_QUEUE);
    return queued;
  }

  /** The day a digest at `now` covers; null outside the digest hour or without mail. */
  private dueDay(now: Date): string | null {
    const day = digestDayAt(now, this.config.notifications.digestHour);
    if (!day) {
      this.logger.log(`not the digest hour (${this.config.notifications.digestHour}:00 UTC): no digest sent`);
      return null;
    }
    return this.mailer.enabled ? day : null;
  }

  private async digestClinic(m: EntityManager, clinicId: string, day: string, now: Date): Promise<number> {
    const claimed: unknown[] = await m.query(
      `INSERT INTO job_runs (clinic_id, job, run_on) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING clinic_id`,
      [clinicId, JOB_RUN, day],
    );
    if (!claimed.length) return 0;
    await setTransactionClinic(m, clinicId);
    const { settings } = await currentNotificationSettings(m, clinicId);
    if (!settings.dailyDigest) return 0;
    const rows: DigestRow[] = await m.query(
      `SELECT u.id AS recipient_id, a.id AS alert_id, a.rule, a.severity, a.status, a.created_at
         FROM users u
         JOIN patients p ON p.clinic_id = u.clinic_id
          AND (p.responsible_physician_id = u.id
               OR NOT EXISTS (SELECT 1 FROM users r WHERE r.clinic_id = p.clinic_id AND r.id = p.responsible_physician_id AND r.role = 'physician' AND r.active))
         JOIN alerts a ON a.clinic_id = p.clinic_id AND a.patient_id = p.id AND a.status <> 'resolved'
         LEFT JOIN notification_preferences pref ON pref.clinic_id = u.clinic_id AND pref.user_id = u.id
        WHERE u.clinic_id = $1 AND u.role = 'physician' AND u.active AND coalesce(pref.daily_digest, true)
        ORDER BY u.id, a.severity_rank DESC, a.created_at, a.id`,
      [clinicId],
    );
    const byRecipient = new Map<string, DigestRow[]>();
    for (const row of rows) byRecipient.set(row.recipient_id, [...(byRecipient.get(row.recipient_id) ?? []), row]);
    let queued = 0;
    for (const [recipientId, alerts] of byRecipient) {
      const items: DigestItem[] = alerts.slice(0, PAGE).map((a) => ({
        alertId: a.alert_id,
        rule: a.rule,
        severity: a.severity,
        status: a.status,
        ageDays: Math.max(0, Math.floor((now.getTime() - new Date(a.created_at).getTime()) / DAY_MS)),
      }));
      const content: EmailContent = { kind: 'digest', day, items, more: Math.max(0, alerts.length - PAGE) };
      const [created]: { id: string }[] = await m.query(
        `INSERT INTO email_deliveries (clinic_id, kind, digest_date, recipient_id, content) VALUES ($1, 'digest', $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING id`,
        [clinicId, day, recipientId, JSON.stringify(content)],
      );
      if (!created) continue;
      queued += 1;
      if (this.jobs.running) await this.jobs.sendWithin(m, EMAIL_QUEUE, { clinicId, emailId: created.id }, { singletonKey: created.id });
    }
    return queued;
  }
}
