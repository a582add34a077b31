import pg from 'pg';
import type { AppConfig } from '../../src/config/app-config';
import { createClinic, type TestClinic } from './factories';
import { createTestApp, testConfig, testDatabaseUrl, type TestApp } from './test-app';

export interface NotificationTestOptions {
  smtpUrl?: string | null;
  /** the first retry wait, in seconds (fractions allowed here: the tests' fast schedule) */
  retryBaseSeconds?: number;
  giveUpAfterSeconds?: number;
  timeoutMs?: number;
  digestHour?: number;
  backgroundJobs?: boolean;
  /** WEBHOOK_ALLOW_HOSTS; 127.0.0.1 (where the test receivers listen) by default */
  allowHosts?: string[];
}

/** Notification settings for a test: mail to the given SMTP server, webhooks allowed to 127.0.0.1, a fast retry schedule. */
export function notificationConfig(options: NotificationTestOptions = {}): Partial<AppConfig> {
  const base = testConfig();
  return {
    backgroundJobs: options.backgroundJobs ?? true,
    jobPollingSeconds: 0.5,
    notifications: {
      ...base.notifications,
      smtpUrl: options.smtpUrl ?? null,
      mailFrom: 'Calcitrack <calcitrack@clinic.test>',
      publicUrl: 'https://calcitrack.clinic.test',
      digestHour: options.digestHour ?? 7,
      pollMs: 100,
      webhooks: {
        ...base.notifications.webhooks,
        retryBaseSeconds: options.retryBaseSeconds ?? 0.2,
        maxRetryDelaySeconds: 2,
        giveUpAfterSeconds: options.giveUpAfterSeconds ?? 24 * 3600,
        timeoutMs: options.timeoutMs ?? 1000,
        allowHosts: options.allowHosts ?? ['127.0.0.1'],
      },
    },
  };
}

/** The service's warnings and errors (pino JSON lines), shown when a wait times out. */
export const serviceWarnings: string[] = [];

/**
 * The test files share one database, and the dispatcher works across clinics: the notifications
 * other files left in the outbox (their apps run no background jobs), the deliveries still
 * pending, and what this file's daily jobs would raise in their clinics (the overdue review runs
 * when an instance starts) would be delivered by this file's instances to the subscriptions and
 * physicians of those files. Before an instance with background jobs starts, their pending work is
 * closed, every existing subscription (none of them this file's) is disabled, and today's daily
 * jobs of every existing clinic are claimed, as if they had run.
 */
export async function closeLeftoverNotifications(): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl(), options: '-c app.rls_bypass=on' });
  await client.connect();
  try {
    await client.query(`UPDATE notifications SET dispatched_at = now(), payload = '{}' WHERE dispatched_at IS NULL`);
    await client.query(`UPDATE webhook_deliveries SET state = 'cancelled', next_attempt_at = NULL, updated_at = now() WHERE state = 'pending'`);
    await client.query(`UPDATE email_deliveries SET state = 'cancelled', updated_at = now() WHERE state = 'pending'`);
    await client.query(`UPDATE webhook_subscriptions SET enabled = false WHERE enabled`);
    await client.query(
      `INSERT INTO job_runs (clinic_id, job, run_on)
       SELECT c.clinic_id, j.job, (now() AT TIME ZONE 'UTC')::date FROM clinics c CROSS JOIN (VALUES ('overdue-review'), ('notification-digest')) AS j(job)
       ON CONFLICT DO NOTHING`,
    );
  } finally {
    await client.end();
  }
}

export async function createNotificationApp(options: NotificationTestOptions = {}): Promise<TestApp> {
  if (options.backgroundJobs ?? true) await closeLeftoverNotifications();
  return createTestApp(notificationConfig(options), {
    write(line: string) {
      const level = (JSON.parse(line) as { level?: number }).level ?? 0;
      if (level >= 40) serviceWarnings.push(line.trim());
    },
  });
}

/** Polls `check` every 50 ms until it returns a value that is not undefined/false, failing after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 20_000,
  /** what to show when the wait times out (the state that should have changed) */
  diagnose?: () => Promise<unknown>,
): Promise<T> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() - started > timeoutMs) {
      const warnings = serviceWarnings.slice(-10).join('\n');
      const state = diagnose ? `\nstate: ${JSON.stringify(await diagnose().catch((err: Error) => err.message), null, 1)}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}${warnings ? `\nthe service's last warnings:\n${warnings}` : ''}${state}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A clinic whose daily OVERDUE_REVIEW pass counts as done today. The pass runs when an app starts
 * and every hour; run after a test's visits, it raises alerts for their old dates (more than a
 * year ago), and those are notifications of their own, which a test counting deliveries does not
 * expect. (Run before the visits, it finds nothing and claims the day itself: either way nothing.)
 */
export async function createNotificationClinic(t: TestApp, name: string): Promise<TestClinic> {
  const clinic = await createClinic(t, name);
  await t.db.query(`INSERT INTO job_runs (clinic_id, job, run_on) VALUES ($1, 'overdue-review', (now() AT TIME ZONE 'UTC')::date) ON CONFLICT DO NOTHING`, [clinic.clinicId]);
  return clinic;
}
