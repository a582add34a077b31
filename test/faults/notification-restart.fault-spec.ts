import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { provisionClinic } from '../../src/clinics/clinic-provisioning';
import { createDataSource } from '../../src/database/data-source';
import { createUser } from '../../src/users/users.service';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { WebhookReceiver } from '../support/webhook-receiver';
import { freePort, ownPostgres, waitUntil } from './fault-support';

const PASSWORD = 'fault-drill-password';

/**
 * The built service, killed (SIGKILL) while a webhook delivery is out, then started again:
 * nothing is lost. The receiver holds the first delivery open; the kill leaves that attempt in
 * progress; after the restart every notification arrives, each processed once (the receiver
 * deduplicates the retried one by webhook-id), the log shows the interrupted attempt, and the
 * urgent alert's e-mail, already sent, is not sent again.
 */
describe('killing the service mid-delivery and starting it again', () => {
  let db: Awaited<ReturnType<typeof ownPostgres>>;
  let fixtures: ReturnType<typeof createDataSource>;
  let smtp: SmtpSink;
  let receiver: WebhookReceiver;
  let child: ChildProcess | null = null;
  let port: number;
  let output = '';
  let env: NodeJS.ProcessEnv;
  let clinicId: string;
  let physician: { id: string; email: string };

  const start = async () => {
    child = spawn(process.execPath, ['dist/src/main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/health`)).status === 200, 60_000, 'the service to start');
  };
  const api = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> };
  };
  const login = async (email: string) => (await api('POST', '/api/v1/auth/login', null, { email, password: PASSWORD })).body.accessToken as string;

  beforeAll(async () => {
    expect(existsSync('dist/src/main.js')).toBe(true);
    db = await ownPostgres();
    fixtures = createDataSource({ url: db.url, poolSize: 2, bypassRowLevelSecurity: true });
    await fixtures.initialize();
    ({ clinicId } = await provisionClinic(fixtures, { name: 'Restart clinic', adminEmail: 'restart-admin@test.local', adminPassword: PASSWORD }));
    physician = await createUser(fixtures.manager, clinicId, { email: 'restart-physician@test.local', name: 'Dr. Restart', role: 'physician', password: PASSWORD });
    await createUser(fixtures.manager, clinicId, { email: 'restart-staff@test.local', name: 'Staff', role: 'staff', password: PASSWORD });
    smtp = await startSmtpSink();
    receiver = await WebhookReceiver.start();
    port = await freePort();
    env = {
      ...process.env,
      DATABASE_URL: db.url,
      JWT_SECRET: 'restart-secret-restart-secret-restart-01',
      PORT: String(port),
      LOG_LEVEL: 'info',
      BACKGROUND_JOBS: 'on',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Calcitrack <calcitrack@clinic.test>',
      PUBLIC_URL: 'https://calcitrack.clinic.test',
      WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      WEBHOOK_RETRY_BASE_SECONDS: '1',
    };
    await start();
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await receiver.close();
    await smtp.close();
    await fixtures.destroy();
    await db.dispose();
  });

  it('loses nothing: every notification is delivered once, and the interrupted attempt is in the log', async () => {
    expect(output).toContain('mail through smtp://127.0.0.1');
    const admin = await login('restart-admin@test.local');
    const staff = await login('restart-staff@test.local');
    receiver.endpoint('/restart');
    const hook = await api('POST', '/api/v1/webhooks', admin, { url: receiver.url('/restart') });
    expect(hook.status).toBe(201);
    receiver.setSecret('/restart', hook.body.secret as string);
    receiver.plan('/restart', 'hang');

    const patient = await api('POST', '/api/v1/patients', staff, { mrn: 'R-1', name: 'Restart Patient', birthDate: '1970-01-01', sex: 'female', responsiblePhysicianId: physician.id });
    const patientId = patient.body.id as string;
    const deposit = { label: 'R index pulp', site: 'finger', laterality: 'right', depth: 'subcutaneous', detectedBy: 'caliper', evaluation: { method: 'caliper', longestDiameterMm: 8 } };
    const first = await api('POST', `/api/v1/patients/${patientId}/visits`, staff, { visitDate: '2024-01-10', newDeposits: [deposit] });
    const depositId = (first.body.newDepositIds as string[])[0];
    const visit = await api('POST', `/api/v1/patients/${patientId}/visits`, staff, {
      visitDate: '2024-04-10',
      evaluations: [{ depositId, method: 'caliper', longestDiameterMm: 8, infectionSigns: true }],
      newDeposits: [{ ...deposit, label: 'L thumb' }],
    });
    expect(visit.status).toBe(201);
    const urgent = (visit.body.alerts as { id: string; rule: string; severity: string }[]).find((a) => a.rule === 'COMPLICATION')!;
    expect(urgent.severity).toBe('urgent');

    // the urgent e-mail is sent (and recorded as sent: SMTP cannot deduplicate a mail whose sending
    // was cut short), and the first webhook is at the receiver, held open: kill now
    await waitUntil(async () => smtp.messages.some((m) => m.text.includes(urgent.id)), 20_000, 'the urgent e-mail');
    await waitUntil(
      async () => (await fixtures.query(`SELECT 1 FROM email_deliveries WHERE clinic_id = $1 AND state = 'sent' AND content->>'alertId' = $2`, [clinicId, urgent.id])).length === 1,
      20_000,
      'the e-mail to be recorded as sent',
    );
    await waitUntil(async () => receiver.received.length === 1, 20_000, 'the first delivery to be out');
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child!.kill('SIGKILL');
    await exited;
    const [{ n: inProgress }] = await fixtures.query(`SELECT count(*)::int AS n FROM webhook_delivery_attempts WHERE clinic_id = $1 AND outcome = 'in-progress'`, [clinicId]);
    expect(inProgress).toBe(1);

    await start();
    const notifications: string[] = (await fixtures.query(`SELECT id FROM notifications WHERE clinic_id = $1 ORDER BY seq`, [clinicId])).map((r: { id: string }) => r.id);
    expect(notifications.length).toBeGreaterThanOrEqual(2);
    await waitUntil(async () => receiver.processed('/restart').length === notifications.length, 60_000, 'every notification after the restart');
    expect(receiver.processed('/restart')).toEqual(notifications);
    // the one held open when the service died came again, with the same webhook-id
    expect(receiver.received.filter((r) => r.id === notifications[0])).toHaveLength(2);
    expect(receiver.received.every((r) => r.verified)).toBe(true);

    // the receiver has the last one a moment before the worker commits its outcome
    let items: { webhookId: string; state: string; attemptLog: { outcome: string }[] }[] = [];
    await waitUntil(async () => {
      items = (await api('GET', `/api/v1/webhooks/${hook.body.id}/deliveries`, admin)).body.items as typeof items;
      return items.every((d) => d.state === 'delivered');
    }, 10_000, 'every delivery to be marked delivered');
    expect(items).toHaveLength(notifications.length);
    expect(items.find((d) => d.webhookId === notifications[0])!.attemptLog.map((a) => a.outcome)).toEqual(['interrupted', 'delivered']);
    expect(smtp.messages.filter((m) => m.text.includes(urgent.id))).toHaveLength(1);
    expect(smtp.messages.find((m) => m.text.includes(urgent.id))!.to).toEqual([physician.email]);
  });
});
