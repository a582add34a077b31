import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUser } from '../src/users/users.service';
import { createClinic, createPatient, isoDateFromToday, newDepositInput, type TestClinic } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * What the web app shows and must not compute itself (the server decides, the browser shows): the
 * patient's current tier, each evaluation's method class, who and what an inbox row is about, who
 * decided an alert, and the versions of the rule settings.
 */
describe('figures the web app shows, from the API', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let patientId: string;
  let depositId: string;

  beforeAll(async () => {
    t = await createTestApp();
    clinic = await createClinic(t);
    patientId = await createPatient(t, clinic.staff, { name: 'Tier Example', mrn: 'WEB-0001' });
    const first = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth)
      .send({ visitDate: isoDateFromToday(-200), newDeposits: [newDepositInput({ label: 'L olecranon', site: 'elbow', laterality: 'left', detectedBy: 'xray' }, { method: 'xray', longestDiameterMm: 15 })] })
      .expect(201);
    depositId = first.body.newDepositIds[0];
    // a new deposit at a follow-up visit: a NEW_DEPOSIT alert on that deposit
    await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth)
      .send({ visitDate: isoDateFromToday(-30), evaluations: [{ depositId, method: 'ultrasound', longestDiameterMm: 14 }], newDeposits: [newDepositInput({ label: 'R thumb' })] })
      .expect(201);
  });
  afterAll(() => t.close());

  it("GET /patients/:id gives the current tier: 0 without treatment, else the highest running tier and since when", async () => {
    const before = await t.http().get(`/api/v1/patients/${patientId}`).set(clinic.staff.auth).expect(200);
    expect(before.body.currentTier).toEqual({ tier: 0, since: null, description: 'tier 0 (observation and prevention)' });

    await t.http().post(`/api/v1/patients/${patientId}/treatments`).set(clinic.staff.auth).send({ kind: 'colchicine', startedOn: isoDateFromToday(-100) }).expect(201);
    await t.http().post(`/api/v1/patients/${patientId}/treatments`).set(clinic.staff.auth).send({ kind: 'diltiazem', startedOn: isoDateFromToday(-400), endedOn: isoDateFromToday(-300) }).expect(201);
    const after = await t.http().get(`/api/v1/patients/${patientId}`).set(clinic.staff.auth).expect(200);
    expect(after.body.currentTier).toEqual({ tier: 1, since: isoDateFromToday(-100), description: 'tier 1 (local or low-risk therapy)' });
  });

  it("each evaluation names its method class, the class sizes are compared in", async () => {
    const deposit = await t.http().get(`/api/v1/deposits/${depositId}`).set(clinic.staff.auth).expect(200);
    expect(deposit.body.evaluations.map((e: { method: string; methodClass: string }) => [e.method, e.methodClass])).toEqual([
      ['xray', 'radiographic'],
      ['ultrasound', 'ultrasound'],
    ]);
    expect(deposit.body.methodClass).toBe('ultrasound');
  });

  it("an inbox row says whose alert it is (MRN, name) and which deposit, by label", async () => {
    const inbox = await t.http().get(`/api/v1/alerts?patientId=${patientId}&rule=NEW_DEPOSIT`).set(clinic.physician.auth).expect(200);
    expect(inbox.body.items).toHaveLength(1);
    expect(inbox.body.items[0]).toMatchObject({ rule: 'NEW_DEPOSIT', patientMrn: 'WEB-0001', patientName: 'Tier Example', depositLabel: 'R thumb' });
  });

  it('an alert says who acknowledged and who decided it, by name', async () => {
    const [alert] = (await t.http().get(`/api/v1/alerts?patientId=${patientId}&rule=NEW_DEPOSIT`).set(clinic.physician.auth).expect(200)).body.items;
    const open = await t.http().get(`/api/v1/alerts/${alert.id}`).set(clinic.staff.auth).expect(200);
    expect(open.body).toMatchObject({ acknowledgedByName: null, resolvedByName: null });
    const acknowledged = await t.http().post(`/api/v1/alerts/${alert.id}/acknowledge`).set(clinic.physician.auth).expect(200);
    expect(acknowledged.body).toMatchObject({ status: 'acknowledged', acknowledgedByName: 'Dr. Test', resolvedByName: null });
    const resolved = await t.http().post(`/api/v1/alerts/${alert.id}/resolve`).set(clinic.physician.auth).send({ decision: 'continue', note: 'small, watch it' }).expect(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', acknowledgedByName: 'Dr. Test', resolvedByName: 'Dr. Test' });
  });

  it('GET /rule-settings/versions lists every version, newest first, one page at a time', async () => {
    const initial = await t.http().get('/api/v1/rule-settings/versions').set(clinic.staff.auth).expect(200);
    expect(initial.body.items.map((v: { version: number }) => v.version)).toEqual([1]);
    await t.http().put('/api/v1/rule-settings').set(clinic.admin.auth).send({ growthMm: 6 }).expect(200);
    await t.http().put('/api/v1/rule-settings').set(clinic.admin.auth).send({ growthMm: 7 }).expect(200);
    const first = await t.http().get('/api/v1/rule-settings/versions?limit=2').set(clinic.physician.auth).expect(200);
    expect(first.body.items.map((v: { version: number; settings: { growthMm: number } }) => [v.version, v.settings.growthMm])).toEqual([[3, 7], [2, 6]]);
    expect(first.body.items[0].createdBy).toBe(clinic.admin.id);
    const second = await t.http().get(`/api/v1/rule-settings/versions?limit=2&cursor=${first.body.nextCursor}`).set(clinic.physician.auth).expect(200);
    expect(second.body.items.map((v: { version: number }) => v.version)).toEqual([1]);
    expect(second.body.nextCursor).toBeNull();
    await t.http().get('/api/v1/rule-settings/versions?unknown=1').set(clinic.physician.auth).expect(400);
  });

  it("GET /users/physicians offers any role the clinic's active physicians by name, without e-mail or account state; another clinic's are not among them", async () => {
    const other = await createClinic(t, 'Other clinic');
    await createUser(t.db.manager, clinic.clinicId, { email: `aaron-${clinic.clinicId.slice(0, 8)}@test.local`, name: 'Dr. Aaron', role: 'physician', password: 'a-long-enough-password' });
    const gone = await createUser(t.db.manager, clinic.clinicId, { email: `gone-${clinic.clinicId.slice(0, 8)}@test.local`, name: 'Dr. Gone', role: 'physician', password: 'a-long-enough-password' });
    await t.http().patch(`/api/v1/users/${gone.id}`).set(clinic.admin.auth).send({ active: false }).expect(200);

    const page = await t.http().get('/api/v1/users/physicians').set(clinic.staff.auth).expect(200);
    expect(page.body.items.map((p: { name: string }) => p.name)).toEqual(['Dr. Aaron', 'Dr. Test']);
    expect(page.body.items[1]).toEqual({ id: clinic.physician.id, name: 'Dr. Test', specialty: null });
    expect(page.body.items.map((p: { id: string }) => p.id)).not.toContain(other.physician.id);

    const first = await t.http().get('/api/v1/users/physicians?limit=1').set(clinic.physician.auth).expect(200);
    const second = await t.http().get(`/api/v1/users/physicians?limit=1&cursor=${first.body.nextCursor}`).set(clinic.physician.auth).expect(200);
    expect([...first.body.items, ...second.body.items].map((p: { name: string }) => p.name)).toEqual(['Dr. Aaron', 'Dr. Test']);
    expect(second.body.nextCursor).toBeNull();
    await t.http().get('/api/v1/users/physicians?limit=0').set(clinic.staff.auth).expect(400);
  });
});
