import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OverdueReviewJob } from '../src/alerts/overdue-review.job';
import { JobQueue } from '../src/jobs/job-queue';
import { DigestJob } from '../src/notifications/digest.job';
import { createUser } from '../src/users/users.service';
import { createClinic, createPatient, newDepositInput, TEST_PASSWORD, type TestClinic, type TestUser } from './support/factories';
import { createNotificationApp, eventually } from './support/notification-app';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';
import type { TestApp } from './support/test-app';

const today = () => new Date().toISOString().slice(0, 10);
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

/**
 * The daily digest (DIGEST_HOUR 7 here), triggered directly at a frozen hour, over a real SMTP
 * server; and the daily jobs on pg-boss's scheduler.
 */
describe('the daily digest of unresolved alerts, per physician', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let smtp: SmtpSink;
  let optedOut: TestUser;
  let other: { id: string; email: string };
  const alerts = { mine: [] as string[], nobodys: [] as string[], resolved: '' };

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await createNotificationApp({ smtpUrl: smtp.url, digestHour: 7 });
    clinic = await createClinic(t, 'Digest clinic');
    // mail only urgent alerts at once: the digest is what these physicians get
    await t.http().put('/api/v1/notification-settings').set(clinic.admin.auth).send({ emailMinSeverity: 'urgent' }).expect(200);
    const b = await createUser(t.db.manager, clinic.clinicId, { email: `dr-b-${clinic.clinicId.slice(0, 8)}@test.local`, name: 'Dr. B', role: 'physician', password: TEST_PASSWORD });
    const login = await t.http().post('/api/v1/auth/login').send({ email: b.email, password: TEST_PASSWORD }).expect(200);
    optedOut = { id: b.id, email: b.email, token: login.body.accessToken, auth: { Authorization: `Bearer ${login.body.accessToken}` } };
    await t.http().put('/api/v1/notification-preferences').set(optedOut.auth).send({ dailyDigest: false }).expect(200);
    other = await createUser(t.db.manager, clinic.clinicId, { email: `dr-c-${clinic.clinicId.slice(0, 8)}@test.local`, name: 'Dr. C', role: 'physician', password: TEST_PASSWORD });

    const raise = async (responsiblePhysicianId?: string) => {
      const patientId = await createPatient(t, clinic.staff, { name: 'Hieronymus Digestpatient', ...(responsiblePhysicianId ? { responsiblePhysicianId } : {}) });
      await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send({ visitDate: '2024-01-10', newDeposits: [newDepositInput()] }).expect(201);
      const visit = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send({ visitDate: '2024-04-10', newDeposits: [newDepositInput({ label: 'L thumb' })] }).expect(201);
      return visit.body.alerts.map((a: { id: string }) => a.id) as string[];
    };
    const mine = await raise(clinic.physician.id);
    alerts.resolved = mine[0];
    await t.http().post(`/api/v1/alerts/${alerts.resolved}/resolve`).set(clinic.physician.auth).send({ decision: 'continue' }).expect(200);
    alerts.mine = mine.slice(1);
    alerts.nobodys = await raise();
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const digestsTo = (email: string) => smtp.messages.filter((m) => m.to.includes(email) && m.subject.includes('Daily digest'));

  it('at the digest hour, each physician gets their patients\' unresolved alerts and those of patients without one; an opted-out physician gets none', async () => {
    // the job for this file's clinic (the scheduled job runs the same for every clinic)
    const queued = await t.app.get(DigestJob).runForClinic(clinic.clinicId, new Date(`${today()}T07:05:00Z`));
    expect(queued).toBe(2);
    const [mine] = await eventually(() => (digestsTo(clinic.physician.email).length ? digestsTo(clinic.physician.email) : undefined), "the responsible physician's digest");
    const [theirs] = await eventually(() => (digestsTo(other.email).length ? digestsTo(other.email) : undefined), "the other physician's digest");

    for (const id of [...alerts.mine, ...alerts.nobodys]) expect(mine.text).toContain(`https://calcitrack.clinic.test/alerts/${id}`);
    expect(mine.text).not.toContain(alerts.resolved);
    expect(mine.subject).toBe(`[Calcitrack] Daily digest ${today()}: ${alerts.mine.length + alerts.nobodys.length} unresolved alerts`);
    for (const id of alerts.nobodys) expect(theirs.text).toContain(id);
    for (const id of alerts.mine) expect(theirs.text).not.toContain(id);
    for (const mail of [mine, theirs]) {
      expect(mail.raw).not.toContain('Hieronymus');
      expect(mail.raw).not.toContain('Digestpatient');
      expect(mail.raw).not.toMatch(/MRN-/);
    }
    expect(digestsTo(optedOut.email)).toEqual([]);
    const rows = await t.db.query(`SELECT recipient_id FROM email_deliveries WHERE clinic_id = $1 AND kind = 'digest'`, [clinic.clinicId]);
    expect(rows.map((r: { recipient_id: string }) => r.recipient_id).sort()).toEqual([clinic.physician.id, other.id].sort());
  });

  it('goes out once a day: a second run that day, or a job picked up after the hour, sends nothing', async () => {
    const before = await t.db.query(`SELECT count(*)::int AS n FROM email_deliveries WHERE clinic_id = $1 AND kind = 'digest'`, [clinic.clinicId]);
    expect(await t.app.get(DigestJob).runForClinic(clinic.clinicId, new Date(`${today()}T07:50:00Z`))).toBe(0);
    expect(await t.app.get(DigestJob).runForClinic(clinic.clinicId, new Date(`${tomorrow()}T09:00:00Z`))).toBe(0);
    expect(await t.app.get(DigestJob).run(new Date(`${tomorrow()}T09:00:00Z`))).toBe(0);
    const after = await t.db.query(`SELECT count(*)::int AS n FROM email_deliveries WHERE clinic_id = $1 AND kind = 'digest'`, [clinic.clinicId]);
    expect(after[0].n).toBe(before[0].n);
    const [{ n: claims }] = await t.db.query(`SELECT count(*)::int AS n FROM job_runs WHERE clinic_id = $1 AND job = 'notification-digest'`, [clinic.clinicId]);
    expect(claims).toBe(1);
  });

  it("is off for a clinic whose admin turned it off", async () => {
    await t.http().put('/api/v1/notification-settings').set(clinic.admin.auth).send({ dailyDigest: false }).expect(200);
    expect(await t.app.get(DigestJob).runForClinic(clinic.clinicId, new Date(`${tomorrow()}T07:00:00Z`))).toBe(0);
    const rows = await t.db.query(`SELECT digest_date FROM email_deliveries WHERE clinic_id = $1 AND kind = 'digest' AND digest_date = $2`, [clinic.clinicId, tomorrow()]);
    expect(rows).toEqual([]);
  });

  it("runs on pg-boss's scheduler: the digest at DIGEST_HOUR UTC, the overdue review every hour", async () => {
    const schedules = await t.db.query(`SELECT name, cron, timezone FROM pgboss.schedule ORDER BY name`);
    expect(schedules).toEqual(
      expect.arrayContaining([
        { name: 'notification-digest', cron: '0 7 * * *', timezone: 'UTC' },
        { name: 'overdue-review', cron: '17 * * * *', timezone: 'UTC' },
      ]),
    );
  });
});

describe('OVERDUE_REVIEW on pg-boss', () => {
  let t: TestApp;
  let clinic: TestClinic;

  beforeAll(async () => {
    t = await createNotificationApp();
    clinic = await createClinic(t, 'Overdue on pg-boss clinic');
  });
  afterAll(() => t.close());

  it('a queued overdue-review job raises the alert once for the day, through the job_runs claim', async () => {
    const patientId = await createPatient(t, clinic.staff);
    await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send({ visitDate: '2020-03-01', newDeposits: [newDepositInput({ label: 'L heel' })] }).expect(201);
    // the clinic is newer than this instance's start-up run: it waits for the next job
    const jobs = t.app.get(JobQueue);
    await jobs.send('overdue-review', {});
    await jobs.send('overdue-review', {});
    const alerts = await eventually(async () => {
      const res = await t.http().get(`/api/v1/alerts?patientId=${patientId}&rule=OVERDUE_REVIEW`).set(clinic.physician.auth).expect(200);
      return res.body.items.length ? res.body.items : undefined;
    }, 'the overdue review alert');
    expect(alerts).toHaveLength(1);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM job_runs WHERE clinic_id = $1 AND job = 'overdue-review'`, [clinic.clinicId]);
    expect(n).toBe(1);
    // and a direct run the same day finds the day claimed
    expect(await t.app.get(OverdueReviewJob).runDue(new Date().toISOString().slice(0, 10))).toBe(0);
  });
});
