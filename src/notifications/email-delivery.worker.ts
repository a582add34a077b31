import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { auditSystemEvent } from '../audit/system-audit';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { setTransactionClinic } from '../database/tenant-context';
import { JobQueue } from '../jobs/job-queue';
import { afterFailure } from '../webhooks/retry-schedule';
import { alertMail, digestMail, type AlertMailFacts, type DigestItem, type MailContent } from './mail-messages';
import { Mailer } from './mailer';

export const EMAIL_QUEUE = 'email-delivery';

export interface EmailJob {
  clinicId: string;
  emailId: string;
}

/** What an e-mail row holds (codes and ids), by kind. */
export type EmailContent =
  | ({ kind: 'alert' } & AlertMailFacts)
  | { kind: 'digest'; day: string; items: DigestItem[]; more: number };

interface EmailRow {
  id: string;
  content: EmailContent;
  attempts: number;
  created_at: Date;
  due: boolean;
  email: string;
  active: boolean;
  patient_id: string | null;
}

export function renderEmail(content: EmailContent, publicUrl: string): MailContent {
  return content.kind === 'alert' ? alertMail(content, publicUrl) : digestMail(content.day, content.items, publicUrl, content.more);
}

/**
 * Sends one e-mail row: locked while it is sent (SKIP LOCKED: across instances, one sender), then
 * marked sent, or retried on the delivery schedule and dead after a day of failures. The address
 * is read at send time; a recipient disabled meanwhile gets nothing. SMTP has no idempotency: a
 * crash between the server's acceptance and the commit sends the mail again, with the same
 * Message-ID.
 */
@Injectable()
export class EmailDeliveryWorker implements OnModuleInit {
  private readonly logger = new Logger('EmailDelivery');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobQueue,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.define<EmailJob>({
      queue: EMAIL_QUEUE,
      policy: 'short',
      concurrency: 1,
      expireInSeconds: 120,
      retryLimit: 3,
      retryDelaySeconds: 10,
      handler: async ({ clinicId, emailId }) => {
        await this.send(clinicId, emailId);
      },
    });
  }

  async send(clinicId: string, emailId: string): Promise<'sent' | 'failed' | 'skipped'> {
    if (!this.mailer.enabled) return 'skipped';
    return this.db.transaction(async (m) => {
      await setTransactionClinic(m, clinicId);
      const [row]: EmailRow[] = await m.query(
        `SELECT e.id, e.content, e.attempts, e.created_at, e.next_attempt_at <= now() AS due, u.email, u.active, n.patient_id
           FROM email_deliveries e
           JOIN users u ON u.clinic_id = e.clinic_id AND u.id = e.recipient_id
           LEFT JOIN notifications n ON n.clinic_id = e.clinic_id AND n.id = e.notification_id
          WHERE e.clinic_id = $1 AND e.id = $2 AND e.state = 'pending'
            FOR UPDATE OF e SKIP LOCKED`,
        [clinicId, emailId],
      );
      if (!row || !row.due) return 'skipped';
      if (!row.active) {
        await m.query(`UPDATE email_deliveries SET state = 'cancelled', next_attempt_at = now(), last_error = 'the recipient is no longer active', updated_at = now() WHERE clinic_id = $1 AND id = $2`, [clinicId, row.id]);
        return 'skipped';
      }
      const attempt = row.attempts + 1;
      let error: string | null = null;
      try {
        await this.mailer.send({ to: row.email, ...renderEmail(row.content, this.config.notifications.publicUrl), messageId: this.messageId(row.id) });
      } catch (err) {
        // the code and the server's reply code only: a message may quote the recipient's address
        const e = err as { code?: string; responseCode?: number };
        error = [e.code, e.responseCode].filter((part) => part !== undefined && part !== null).join(' ') || 'send failed';
      }
      const { webhooks } = this.config.notifications;
      const decision = error === null ? null : afterFailure(attempt, row.created_at, new Date(), { baseSeconds: webhooks.retryBaseSeconds, maxDelaySeconds: webhooks.maxRetryDelaySeconds, giveUpAfterSeconds: webhooks.giveUpAfterSeconds });
      const state = error === null ? 'sent' : decision?.kind === 'dead' ? 'dead' : 'pending';
      await m.query(
        `UPDATE email_deliveries SET attempts = $3, state = $4, last_error = $5, next_attempt_at = coalesce($6, next_attempt_at),
                sent_at = CASE WHEN $4 = 'sent' THEN now() ELSE sent_at END, updated_at = now()
          WHERE clinic_id = $1 AND id = $2`,
        [clinicId, row.id, attempt, state, error, decision?.kind === 'retry' ? decision.at : null],
      );
      await auditSystemEvent(m, {
        clinicId,
        patientId: row.patient_id,
        action: 'email-delivery.send',
        recordType: 'email-delivery',
        recordId: row.id,
        outcome: error === null ? 'success' : 'error',
        statusCode: null,
      });
      if (error !== null) this.logger.log(`e-mail ${row.id} attempt ${attempt} failed (${error})${state === 'dead' ? ': given up' : ''}`);
      return error === null ? 'sent' : 'failed';
    });
  }

  /** `<email-id@sender's domain>`: the same on every retry of one e-mail. */
  private messageId(emailId: string): string {
    const from = this.config.notifications.mailFrom ?? '';
    const domain = /@([^\s<>@]+)>?\s*$/.exec(from)?.[1] ?? 'calcitrack.invalid';
    return `<${emailId}@${domain}>`;
  }
}
