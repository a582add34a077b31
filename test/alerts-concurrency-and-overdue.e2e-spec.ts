import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OverdueReviewJob } from '../src/alerts/overdue-review.job';
import { createClinic, createPatient, newDepositInput, type TestClinic } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

describe('alerts under concurrent visits, and the daily overdue review', () => {
  let t: TestApp;
  let clinic: TestClinic;

  beforeAll(async () => {
    t = await createTestApp();
    clinic = await createClinic(t);
  });
  afterAll(() => t.close());

  const unresolvedByKey = async (patientId: string) => {
    const rows: { rule: string; deposit_id: string | null; n: number }[] = await t.db.query(
      `SELECT rule, deposit_id, count(*)::int AS n FROM alerts WHERE clinic_id = $1 AND patient_id = $2 AND status <> 'resolved' GROUP BY rule, deposit_id`,
      [clinic.clinicId, patientId],
    );
    return rows;
  };

  it('ten visits posted at once for one patient leave exactly one unresolved alert per (deposit, rule)', async () => {
    const patientId = await createPatient(t, clinic.staff);
    const first = await t
      .http()
      .post(`/api/v1/patients/${patientId}/visits`)
      .set(clinic.staff.auth)
      .send({ visitDate: '2024-01-10', newDeposits: [newDepositInput({}, { longestDiameterMm: 10, painScore: 1 })] })
      .expect(201);
    const [depositId] = first.body.newDepositIds;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t
          .http()
          .post(`/api/v1/patients/${patientId}/visits`)
          .set(clinic.staff.auth)
          .send({
            visitDate: `2024-${String(i + 2).padStart(2, '0')}-15`,
            evaluations: [{ depositId, method: 'caliper', longestDiameterMm: 30 + i, painScore: 8, ulcerated: true, infectionSigns: true, shape: 'irregular' }],
            newDeposits: [newDepositInput({ label: `new ${i}` }, { longestDiameterMm: 5 })],
          }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    const keys = await unresolvedByKey(patientId);
    expect(keys.filter((k) => k.n !== 1)).toEqual([]);
    const depositRules = keys.filter((k) => k.deposit_id === depositId).map((k) => k.rule).sort();
    expect(depositRules).toEqual(expect.arrayContaining(['COMPLICATION', 'DEPOSIT_GROWTH', 'PAIN_INCREASE']));
    expect(keys.filter((k) => k.rule === 'NEW_DEPOSIT')).toHaveLength(10);
    expect(keys.filter((k) => k.rule === 'BURDEN_GROWTH')).toEqual([{ rule: 'BURDEN_GROWTH', deposit_id: null, n: 1 }]);
  });

  it('the database itself refuses a second unresolved alert for the same (patient, deposit, rule)', async () => {
    const [alert] = await t.db.query(`SELECT * FROM alerts WHERE clinic_id = $1 AND status <> 'resolved' AND deposit_id IS NOT NULL LIMIT 1`, [clinic.clinicId]);
    await expect(
      t.db.query(
        `INSERT INTO alerts (clinic_id, patient_id, deposit_id, rule, severity, severity_rank, message, evidence, suggested_action, settings_version)
         VALUES ($1, $2, $3, $4, 'info', 0, 'x', '{}', '{}', 1)`,
        [alert.clinic_id, alert.patient_id, alert.deposit_id, alert.rule],
      ),
    ).rejects.toMatchObject({ driverError: { code: '23505' } });
  });

  it('the daily job flags a deposit not evaluated for 12 months once, however many instances run it, and a new evaluation resolves it', async () => {
    const patientId = await createPatient(t, clinic.staff);
    const visit = await t
      .http()
      .post(`/api/v1/patients/${patientId}/visits`)
      .set(clinic.staff.auth)
      .send({ visitDate: '2023-03-01', newDeposits: [newDepositInput({ label: 'L heel' }, { longestDiameterMm: 7 })] })
      .expect(201);
    const [depositId] = visit.body.newDepositIds;
    const job = t.app.get(OverdueReviewJob);
    const runs = await Promise.all([job.runDue('2024-03-05'), job.runDue('2024-03-05'), job.runDue('2024-03-05')]);
    expect(runs.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    const [{ n: claimed }] = await t.db.query(`SELECT count(*)::int AS n FROM job_runs WHERE clinic_id = $1 AND run_on = '2024-03-05'`, [clinic.clinicId]);
    expect(claimed).toBe(1);

    const inbox = await t.http().get(`/api/v1/alerts?patientId=${patientId}&rule=OVERDUE_REVIEW`).set(clinic.physician.auth).expect(200);
    expect(inbox.body.items).toHaveLength(1);
    expect(inbox.body.items[0]).toMatchObject({ rule: 'OVERDUE_REVIEW', severity: 'info', depositId, status: 'open' });
    expect(await job.runDue('2024-03-05')).toBe(0);

    const again = await t
      .http()
      .post(`/api/v1/patients/${patientId}/visits`)
      .set(clinic.staff.auth)
      .send({ visitDate: '2024-03-06', evaluations: [{ depositId, method: 'caliper', longestDiameterMm: 7 }] })
      .expect(201);
    expect(again.body.alerts).toEqual([expect.objectContaining({ rule: 'OVERDUE_REVIEW', status: 'resolved' })]);
    const after = await t.http().get(`/api/v1/alerts?patientId=${patientId}&rule=OVERDUE_REVIEW`).set(clinic.physician.auth).expect(200);
    expect(after.body.items).toEqual([]);
  });
});

describe('an amendment that does not change what a rule saw', () => {
  let t: TestApp;
  let clinic: TestClinic;

  beforeAll(async () => {
    t = await createTestApp();
    clinic = await createClinic(t);
  });
  afterAll(() => t.close());

  it('leaves the alert as it was (same version, no evidence history), so a physician\'s If-Match stays fresh', async () => {
    const patientId = await createPatient(t, clinic.staff);
    const first = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth)
      .send({ visitDate: '2024-01-10', newDeposits: [newDepositInput({}, { longestDiameterMm: 10 })] }).expect(201);
    const [depositId] = first.body.newDepositIds;
    const second = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth)
      .send({ visitDate: '2024-04-10', evaluations: [{ depositId, method: 'caliper', longestDiameterMm: 10, ulcerated: true }] }).expect(201);
    const complication = second.body.alerts.find((a: { rule: string }) => a.rule === 'COMPLICATION');
    expect(complication).toBeDefined();
    const amended = await t.http().post(`/api/v1/evaluations/${second.body.evaluations[0].id}/amendments`).set(clinic.staff.auth)
      .send({ notes: 'photo taken', reason: 'added a note' }).expect(201);
    expect(amended.body.alerts).toEqual([]);
    const alert = await t.http().get(`/api/v1/alerts/${complication.id}`).set(clinic.physician.auth).expect(200);
    expect(alert.body).toMatchObject({ version: 1, evidenceHistory: [] });
  });
});
