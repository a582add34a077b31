import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPatient, newDepositInput, type TestClinic } from './support/factories';
import { createNotificationApp, createNotificationClinic, eventually } from './support/notification-app';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';
import type { TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

const PATIENT_NAME = 'Zelda Quintessa Marchbanks';

/**
 * Notifications over real protocols: an in-process SMTP server receives the e-mails, a real HTTP
 * receiver verifies the Standard Webhooks signatures, deduplicates by webhook-id and fails when
 * told to. The service runs its pg-boss workers and dispatcher (fast retry schedule).
 */
describe('notifications: e-mail and signed webhooks, delivered in order, surviving outages', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let smtp: SmtpSink;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    receiver = await WebhookReceiver.start();
    t = await createNotificationApp({ smtpUrl: smtp.url, timeoutMs: 2000 });
    clinic = await createNotificationClinic(t, 'Notification clinic');
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
    await smtp.close();
  });

  async function subscribe(path: string, body: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
    receiver.endpoint(path);
    const res = await t.http().post('/api/v1/webhooks').set(clinic.admin.auth).send({ url: receiver.url(path), ...body }).expect(201);
    receiver.setSecret(path, res.body.secret);
    return { id: res.body.id, secret: res.body.secret };
  }

  /** A patient with a deposit, first visit logged: the next visit can raise a complication. */
  async function patientWithDeposit(overrides: Record<string, unknown> = {}): Promise<{ patientId: string; depositId: string; mrn: string }> {
    const mrn = `MRN-NOTIFY-${Math.random().toString(36).slice(2, 8)}`;
    const patientId = await createPatient(t, clinic.staff, { name: PATIENT_NAME, mrn, ...overrides });
    const first = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send({ visitDate: '2024-01-10', newDeposits: [newDepositInput()] }).expect(201);
    return { patientId, depositId: first.body.newDepositIds[0], mrn };
  }

  const infectedVisit = (depositId: string, visitDate = '2024-04-10') => ({
    visitDate,
    evaluations: [{ depositId, method: 'caliper', longestDiameterMm: 8.5, infectionSigns: true, notes: `measured on ${PATIENT_NAME}` }],
  });

  async function deliveriesOf(subscriptionId: string): Promise<{ state: string; webhookId: string; attempts: number; attemptLog: { outcome: string; statusCode: number | null; error: string | null }[] }[]> {
    const res = await t.http().get(`/api/v1/webhooks/${subscriptionId}/deliveries?limit=200`).set(clinic.admin.auth).expect(200);
    return res.body.items;
  }

  it('an urgent alert (signs of infection) mails the responsible physician once, with no patient data, and sends one signed webhook', async () => {
    const hook = await subscribe('/urgent');
    const { patientId, depositId, mrn } = await patientWithDeposit({ responsiblePhysicianId: clinic.physician.id });
    const visit = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send(infectedVisit(depositId)).expect(201);
    const urgent = visit.body.alerts.find((a: { rule: string }) => a.rule === 'COMPLICATION');
    expect(urgent).toMatchObject({ severity: 'urgent' });

    const mail = await eventually(() => smtp.messages.find((m) => m.text.includes(urgent.id)), 'the urgent e-mail');
    expect(mail.to).toEqual([clinic.physician.email]);
    expect(mail.subject).toContain('URGENT');
    expect(mail.text).toContain(`https://calcitrack.clinic.test/alerts/${urgent.id}`);
    expect(mail.text).toMatch(/new complication/);
    for (const secret of [PATIENT_NAME, 'Zelda', mrn, '1970-05-01', '8.5']) expect(mail.raw).not.toContain(secret);

    const delivered = await eventually(() => receiver.received.find((r) => r.path === '/urgent' && (r.body as { data?: { alertId?: string } })?.data?.alertId === urgent.id), 'the webhook');
    expect(delivered.verified).toBe(true);
    expect(delivered.body).toEqual({
      type: 'alert.raised',
      timestamp: expect.any(String),
      data: {
        alertId: urgent.id,
        clinicId: clinic.clinicId,
        patientId,
        depositId,
        rule: 'COMPLICATION',
        severity: 'urgent',
        status: 'open',
        alertUrl: `https://calcitrack.clinic.test/api/v1/alerts/${urgent.id}`,
      },
    });
    const raw = JSON.stringify(receiver.received.filter((r) => r.path === '/urgent'));
    for (const secret of [PATIENT_NAME, mrn, '1970-05-01', '8.5']) expect(raw).not.toContain(secret);

    // exactly once: the e-mail of this alert to this physician, and the webhook of this event
    await eventually(async () => (await deliveriesOf(hook.id)).every((d) => d.state === 'delivered') || undefined, 'every delivery to be delivered');
    expect(smtp.messages.filter((m) => m.text.includes(urgent.id))).toHaveLength(1);
    expect(receiver.processed('/urgent').filter((id) => id === delivered.id)).toHaveLength(1);
    // the mail reaches the server a moment before its row commits as sent
    const emails = await eventually(async () => {
      const rows: { state: string; attempts: number }[] = await t.db.query(`SELECT state, attempts FROM email_deliveries WHERE clinic_id = $1 AND content->>'alertId' = $2`, [clinic.clinicId, urgent.id]);
      return rows.every((r) => r.state === 'sent') ? rows : undefined;
    }, 'the e-mail row to be sent');
    expect(emails).toEqual([{ state: 'sent', attempts: 1 }]);
  });

  it('mails every active physician when the patient has no responsible physician, and nobody for a warning', async () => {
    const { patientId, depositId } = await patientWithDeposit();
    const visit = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send({
      visitDate: '2024-04-10',
      evaluations: [{ depositId, method: 'caliper', longestDiameterMm: 8, infectionSigns: true }],
      newDeposits: [newDepositInput({ label: 'L thumb' })],
    }).expect(201);
    const urgent = visit.body.alerts.find((a: { rule: string }) => a.rule === 'COMPLICATION');
    const warning = visit.body.alerts.find((a: { rule: string }) => a.rule === 'NEW_DEPOSIT');
    expect(warning).toMatchObject({ severity: 'warning' });
    const mails = await eventually(() => {
      const found = smtp.messages.filter((m) => m.text.includes(urgent.id));
      return found.length >= 1 ? found : undefined;
    }, 'the e-mail to the clinic physician');
    expect(mails.flatMap((m) => m.to)).toEqual([clinic.physician.email]);
    expect(mails[0].text).toContain('the patient has no responsible physician');
    // the warning's notification was dispatched (its webhook row exists) but mailed to no one
    await eventually(async () => {
      const [row] = await t.db.query(`SELECT dispatched_at FROM notifications WHERE clinic_id = $1 AND alert_id = $2`, [clinic.clinicId, warning.id]);
      return row?.dispatched_at ? true : undefined;
    }, 'the warning to be dispatched');
    expect(smtp.messages.some((m) => m.text.includes(warning.id))).toBe(false);
  });

  it('an alert raised to urgent is an alert.escalated event with its previous severity, mailed again; an SMTP refusal is retried', async () => {
    await subscribe('/escalations', { events: ['alert.escalated'] });
    const { patientId, depositId } = await patientWithDeposit({ responsiblePhysicianId: clinic.physician.id });
    const ulcer = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send({
      visitDate: '2024-04-10',
      evaluations: [{ depositId, method: 'caliper', longestDiameterMm: 8, ulcerated: true }],
    }).expect(201);
    const complication = ulcer.body.alerts.find((a: { rule: string }) => a.rule === 'COMPLICATION');
    expect(complication).toMatchObject({ severity: 'high' });
    const raisedMail = await eventually(() => smtp.messages.find((m) => m.text.includes(complication.id)), 'the high alert e-mail');
    expect(raisedMail.subject).toMatch(/High alert/);

    smtp.refuseNext(1);
    await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send({
      visitDate: '2024-07-10',
      evaluations: [{ depositId, method: 'caliper', longestDiameterMm: 8, ulcerated: true, infectionSigns: true }],
    }).expect(201);
    const escalated = await eventually(() => receiver.received.find((r) => r.path === '/escalations'), 'the escalation webhook');
    expect(escalated.body).toMatchObject({ type: 'alert.escalated', data: { alertId: complication.id, severity: 'urgent', previousSeverity: 'high', status: 'open' } });
    const mails = await eventually(() => {
      const found = smtp.messages.filter((m) => m.text.includes(complication.id));
      return found.length === 2 ? found : undefined;
    }, 'the escalation e-mail, after one refusal');
    expect(mails[1].subject).toMatch(/URGENT alert/);
    expect(mails[1].text).toMatch(/An alert was raised to URGENT/);
    const row = await eventually(async () => {
      const [found]: { state: string; attempts: number }[] = await t.db.query(
        `SELECT e.state, e.attempts FROM email_deliveries e JOIN notifications n ON n.clinic_id = e.clinic_id AND n.id = e.notification_id
          WHERE e.clinic_id = $1 AND n.alert_id = $2 AND n.event = 'alert.escalated'`,
        [clinic.clinicId, complication.id],
      );
      return found?.state === 'sent' ? found : undefined;
    }, 'the escalation e-mail row to be sent');
    expect(row).toEqual({ state: 'sent', attempts: 2 });
    // the raised-only subscription filter: only escalations reached /escalations
    expect(receiver.received.filter((r) => r.path === '/escalations').every((r) => (r.body as { type: string }).type === 'alert.escalated')).toBe(true);
  });

  it('survives receiver outages (connection refused, a 500, a timeout): every notification arrives, in order, once per webhook-id, and the log shows every attempt', async () => {
    // this subscription gets this test's notifications only: what earlier tests raised is dispatched first
    const { patientId, depositId } = await patientWithDeposit();
    await eventually(async () => {
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM notifications WHERE clinic_id = $1 AND dispatched_at IS NULL`, [clinic.clinicId]);
      return n === 0 || undefined;
    }, 'the outbox to be empty');
    await receiver.pause();
    const hook = await subscribe('/flaky');
    receiver.plan('/flaky', 500, 'hang');
    // several events in a known order: raised (two alerts), then resolved
    const visit = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send({
      visitDate: '2024-04-10',
      evaluations: [{ depositId, method: 'caliper', longestDiameterMm: 8, infectionSigns: true }],
      newDeposits: [newDepositInput({ label: 'L thumb' })],
    }).expect(201);
    const alertIds: string[] = visit.body.alerts.map((a: { id: string }) => a.id);
    await t.http().post(`/api/v1/alerts/${alertIds[0]}/resolve`).set(clinic.physician.auth).send({ decision: 'continue' }).expect(200);

    // the first attempt meets a closed port
    await eventually(async () => (await deliveriesOf(hook.id)).some((d) => d.attemptLog.some((a) => a.error === 'ECONNREFUSED')) || undefined, 'a refused attempt');
    await receiver.resume();

    // a delivery for each raised alert and for the resolution, once the resolution is dispatched too
    const expected = await eventually(async () => {
      const rows: { id: string }[] = await t.db.query(
        `SELECT n.id FROM webhook_deliveries d JOIN notifications n ON n.clinic_id = d.clinic_id AND n.id = d.notification_id
          WHERE d.clinic_id = $1 AND d.subscription_id = $2 ORDER BY n.seq`,
        [clinic.clinicId, hook.id],
      );
      return rows.length === alertIds.length + 1 ? rows.map((r) => r.id) : undefined;
    }, 'a delivery for every notification');
    await eventually(() => (receiver.processed('/flaky').length === expected.length ? true : undefined), 'every notification at the receiver', 30_000, async () => ({
      received: receiver.received.filter((r) => r.path === '/flaky').map((r) => [r.id, r.answered]),
      deliveries: await deliveriesOf(hook.id),
      jobs: await t.db.query(`SELECT state, count(*)::int AS n, min(created_on) AS first, max(start_after) AS last_start FROM pgboss.job WHERE name = 'webhook-delivery' GROUP BY state`),
      now: new Date().toISOString(),
    }));

    // in notification order, each once; the first was tried four times
    expect(receiver.processed('/flaky')).toEqual(expected);
    const received = receiver.received.filter((r) => r.path === '/flaky');
    expect(received.map((r) => r.answered)).toEqual([500, 'hang', ...expected.map(() => 'ok')]);
    expect(received.every((r) => r.verified)).toBe(true);
    const events = received.filter((r) => r.answered === 'ok').map((r) => (r.body as { type: string }).type);
    expect(events.at(-1)).toBe('alert.resolved');

    const log = await deliveriesOf(hook.id);
    const first = log.find((d) => d.webhookId === expected[0])!;
    expect(first.state).toBe('delivered');
    expect(first.attemptLog.map((a) => [a.outcome, a.statusCode, a.error])).toEqual([
      ['failed', null, 'ECONNREFUSED'],
      ['failed', 500, 'HTTP 500'],
      ['failed', null, 'no response within 2000 ms'],
      ['delivered', 204, null],
    ]);
    expect(log.filter((d) => d.webhookId !== expected[0]).every((d) => d.state === 'delivered' && d.attempts === 1)).toBe(true);

    // every attempt is in the audit trail, as the system's
    const audited = await t.db.query(
      `SELECT outcome, status_code, actor_id, actor_role FROM audit_events WHERE clinic_id = $1 AND action = 'webhook-delivery.attempt' AND record_id = ANY($2) ORDER BY seq`,
      [clinic.clinicId, log.map((d) => (d as unknown as { id: string }).id)],
    );
    expect(audited).toHaveLength(4 + expected.length - 1);
    expect(audited.every((a: { actor_id: string | null; actor_role: string }) => a.actor_id === null && a.actor_role === 'system')).toBe(true);
    expect(audited.filter((a: { outcome: string }) => a.outcome === 'error')).toHaveLength(3);
  });
});

describe('notifications: what is never sent, and secret rotation', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await createNotificationApp();
    clinic = await createNotificationClinic(t, 'Rollback clinic');
    // a check PostgreSQL makes only at COMMIT: a visit dated 2001-02-03 fails after everything,
    // its alerts and their notifications included, was written
    await t.db.query(`
      CREATE OR REPLACE FUNCTION test_refuse_visit_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.visit_date = '2001-02-03' THEN RAISE EXCEPTION 'refused at commit' USING ERRCODE = 'check_violation'; END IF;
        RETURN NULL;
      END $$`);
    await t.db.query(`
      CREATE CONSTRAINT TRIGGER test_refuse_visit_at_commit AFTER INSERT ON visits
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse_visit_at_commit()`);
  });
  afterAll(async () => {
    await t.db.query(`DROP TRIGGER IF EXISTS test_refuse_visit_at_commit ON visits`);
    await t.db.query(`DROP FUNCTION IF EXISTS test_refuse_visit_at_commit()`);
    await t.close();
    await receiver.close();
  });

  it('a visit rolled back at the very end of its transaction notifies no one', async () => {
    receiver.endpoint('/rollback');
    const hook = (await t.http().post('/api/v1/webhooks').set(clinic.admin.auth).send({ url: receiver.url('/rollback') }).expect(201)).body;
    receiver.setSecret('/rollback', hook.secret);
    const patientId = await createPatient(t, clinic.staff);
    const first = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send({ visitDate: '2000-01-10', newDeposits: [newDepositInput()] }).expect(201);
    const depositId = first.body.newDepositIds[0];
    const before = await t.db.query(`SELECT count(*)::int AS n FROM notifications WHERE clinic_id = $1`, [clinic.clinicId]);

    const refused = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send({
      visitDate: '2001-02-03',
      evaluations: [{ depositId, method: 'caliper', longestDiameterMm: 8, infectionSigns: true }],
      newDeposits: [newDepositInput({ label: 'never stored' })],
    });
    expect(refused.status).toBe(500);
    const after = await t.db.query(`SELECT count(*)::int AS n FROM notifications WHERE clinic_id = $1`, [clinic.clinicId]);
    expect(after[0].n).toBe(before[0].n);

    // a later visit's notification arrives; deliveries keep their order, so the refused visit's would have come first
    const later = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send({
      visitDate: '2001-02-04',
      evaluations: [{ depositId, method: 'caliper', longestDiameterMm: 8, infectionSigns: true }],
    }).expect(201);
    const marker = later.body.alerts[0].id as string;
    await eventually(() => receiver.received.some((r) => (r.body as { data: { alertId: string } }).data.alertId === marker) || undefined, 'the later visit\'s webhook');
    const alertIds = receiver.received.map((r) => (r.body as { data: { alertId: string } }).data.alertId);
    expect(new Set(alertIds)).toEqual(new Set(later.body.alerts.map((a: { id: string }) => a.id)));
  });

  it('after a rotation, deliveries carry both signatures until the overlap ends', async () => {
    receiver.endpoint('/rotate');
    const hook = (await t.http().post('/api/v1/webhooks').set(clinic.admin.auth).send({ url: receiver.url('/rotate') }).expect(201)).body;
    const rotated = (await t.http().post(`/api/v1/webhooks/${hook.id}/rotate-secret`).set(clinic.admin.auth).send({ overlapHours: 1 }).expect(200)).body;
    receiver.setSecret('/rotate', rotated.secret);
    const patientId = await createPatient(t, clinic.staff);
    const visit = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send({ visitDate: '2000-01-10', newDeposits: [newDepositInput()] }).expect(201);
    const second = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send({
      visitDate: '2000-04-10',
      newDeposits: [newDepositInput({ label: 'L thumb' })],
      evaluations: [{ depositId: visit.body.newDepositIds[0], method: 'caliper', longestDiameterMm: 8 }],
    }).expect(201);
    expect(second.body.alerts.length).toBeGreaterThan(0);
    const got = await eventually(() => receiver.received.find((r) => r.path === '/rotate'), 'a delivery after the rotation');
    expect(got.verified).toBe(true);
    expect(got.headers['webhook-signature'].split(' ')).toHaveLength(2);
    const { Webhook } = await import('standardwebhooks');
    expect(() => new Webhook(hook.secret).verify(got.rawBody, got.headers)).not.toThrow();
    expect(() => new Webhook(rotated.secret).verify(got.rawBody, got.headers)).not.toThrow();
  });
});
