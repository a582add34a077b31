import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { countRows, createClinic, createPatient, newDepositInput, type TestClinic } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * Two clinicians log a visit of the same patient at the same moment (the front desk and the
 * physician's room, or a retried form). Each visit is stored whole, next to the other: nothing of
 * one is lost, doubled or attached to the other.
 */
describe('visits of one patient posted at the same moment', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let patientId: string;
  let fingerId: string;
  let elbowId: string;
  let otherPatientsDepositId: string;

  interface Sent {
    tag: string;
    finger: number;
    elbow: number;
    newDeposit: number;
    calcium: number;
  }

  /** A follow-up: both known deposits measured, one new deposit, labs; every number tells the visit apart. */
  const visitBody = (s: Sent, date = '2025-05-20') => ({
    visitDate: date,
    evaluations: [
      { depositId: fingerId, method: 'caliper', longestDiameterMm: s.finger, notes: s.tag },
      { depositId: elbowId, method: 'xray', longestDiameterMm: s.elbow, notes: s.tag },
    ],
    newDeposits: [newDepositInput({ label: `new deposit ${s.tag}`, site: 'toe' }, { longestDiameterMm: s.newDeposit, notes: s.tag })],
    labs: { calcium: { value: s.calcium, unit: 'mg/dL' } },
  });

  const post = (body: object, who = clinic.staff) => t.http().post(`/api/v1/patients/${patientId}/visits`).set(who.auth).send(body);

  const sentAt = (i: number): Sent => ({ tag: `v${i}`, finger: 10 + i / 10, elbow: 15 + i / 10, newDeposit: 3 + i / 10, calcium: 9 + i / 100 });

  /** The stored visit, read back, holds exactly what was sent with it. */
  const expectStoredWhole = async (visitId: string, s: Sent) => {
    const visit = await t.http().get(`/api/v1/visits/${visitId}`).set(clinic.physician.auth).expect(200);
    expect(visit.body.newDepositIds).toHaveLength(1);
    const [newId] = visit.body.newDepositIds;
    const byDeposit = Object.fromEntries(
      (visit.body.evaluations as { depositId: string; longestDiameterMm: number; notes: string; visitId: string }[]).map((e) => [e.depositId, [e.longestDiameterMm, e.notes, e.visitId]]),
    );
    expect(byDeposit).toEqual({
      [fingerId]: [s.finger, s.tag, visitId],
      [elbowId]: [s.elbow, s.tag, visitId],
      [newId]: [s.newDeposit, s.tag, visitId],
    });
    expect(visit.body.labResultIds).toHaveLength(1);
    const deposit = await t.http().get(`/api/v1/deposits/${newId}`).set(clinic.staff.auth).expect(200);
    expect(deposit.body).toMatchObject({ label: `new deposit ${s.tag}`, evaluations: [{ longestDiameterMm: s.newDeposit, visitId }] });
    return { newId, labId: visit.body.labResultIds[0] as string };
  };

  const growth = (before: Record<string, number>, n: { visits: number; evaluations: number; deposits: number; labs: number }) => ({
    ...before,
    visits: before.visits + n.visits,
    evaluations: before.evaluations + n.evaluations,
    evaluation_versions: before.evaluation_versions + n.evaluations,
    deposits: before.deposits + n.deposits,
    lab_results: before.lab_results + n.labs,
  });

  beforeAll(async () => {
    t = await createTestApp();
    clinic = await createClinic(t, 'Concurrency clinic');
    patientId = await createPatient(t, clinic.staff, { name: 'Concurrent Patient', conditions: ['dermatomyositis'] });
    const first = await post({
      visitDate: '2025-01-10',
      newDeposits: [
        newDepositInput({ label: 'R index pulp' }, { longestDiameterMm: 10 }),
        newDepositInput({ label: 'L olecranon', site: 'elbow', laterality: 'left', depth: 'periarticular', detectedBy: 'xray' }, { method: 'xray', longestDiameterMm: 15 }),
      ],
    }).expect(201);
    [fingerId, elbowId] = first.body.newDepositIds;
    const otherPatientId = await createPatient(t, clinic.staff, { name: 'Other Patient' });
    const other = await t
      .http()
      .post(`/api/v1/patients/${otherPatientId}/visits`)
      .set(clinic.staff.auth)
      .send({ visitDate: '2025-01-12', newDeposits: [newDepositInput({ label: 'R knee', site: 'knee' })] })
      .expect(201);
    [otherPatientsDepositId] = other.body.newDepositIds;
  });
  afterAll(() => t.close());

  it('two at once: both 201, each stored whole, exactly 2 visits, 6 evaluations, 2 deposits, 2 labs more', async () => {
    const before = await countRows(t, clinic.clinicId);
    const sent = [sentAt(1), sentAt(2)];
    const responses = await Promise.all([post(visitBody(sent[0]), clinic.staff), post(visitBody(sent[1]), clinic.physician)]);

    expect(responses.map((r) => r.status)).toEqual([201, 201]);
    const [one, two] = responses.map((r) => r.body);
    expect(one.id).not.toBe(two.id);
    for (const [i, body] of [one, two].entries()) {
      expect(body.evaluations).toHaveLength(3);
      expect(body.labs).toMatchObject({ calciumMgDl: sent[i].calcium, visitId: body.id });
    }
    const stored = [await expectStoredWhole(one.id, sent[0]), await expectStoredWhole(two.id, sent[1])];
    expect(stored[0].newId).not.toBe(stored[1].newId);
    expect(stored.map((s) => s.newId)).toEqual([one.newDepositIds[0], two.newDepositIds[0]]);
    expect(await countRows(t, clinic.clinicId)).toEqual(growth(before, { visits: 2, evaluations: 6, deposits: 2, labs: 2 }));
  });

  it('ten at once: all 201, each stored whole, exact counts', async () => {
    const before = await countRows(t, clinic.clinicId);
    const sent = Array.from({ length: 10 }, (_, i) => sentAt(10 + i));
    const responses = await Promise.all(sent.map((s, i) => post(visitBody(s, `2025-06-${String(10 + i).padStart(2, '0')}`), i % 2 ? clinic.physician : clinic.staff)));

    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(10);
    for (const [i, res] of responses.entries()) await expectStoredWhole(res.body.id, sent[i]);
    expect(await countRows(t, clinic.clinicId)).toEqual(growth(before, { visits: 10, evaluations: 30, deposits: 10, labs: 10 }));

    // every stored visit of the patient lists its own evaluations and nobody else's
    const visits = await t.http().get(`/api/v1/patients/${patientId}/visits?limit=200`).set(clinic.staff.auth).expect(200);
    for (const v of visits.body.items as { id: string; evaluations: { visitId: string }[] }[]) {
      expect(v.evaluations.every((e) => e.visitId === v.id)).toBe(true);
    }
    const deposits = await t.http().get(`/api/v1/patients/${patientId}/deposits?limit=200`).set(clinic.staff.auth).expect(200);
    expect(deposits.body.items).toHaveLength(2 + 2 + 10);
  });

  it("a valid and an invalid visit at once (another patient's deposit): one 201, one 400, only the valid one's rows", async () => {
    const before = await countRows(t, clinic.clinicId);
    const valid = sentAt(30);
    const invalid = sentAt(31);
    const invalidBody = visitBody(invalid);
    invalidBody.evaluations[1] = { depositId: otherPatientsDepositId, method: 'xray', longestDiameterMm: invalid.elbow, notes: invalid.tag };

    const [ok, refused] = await Promise.all([post(visitBody(valid), clinic.staff), post(invalidBody, clinic.physician)]);
    expect([ok.status, refused.status]).toEqual([201, 400]);
    expect(refused.body.details.map((d: { field: string }) => d.field)).toEqual(['evaluations[1].depositId']);
    await expectStoredWhole(ok.body.id, valid);
    expect(await countRows(t, clinic.clinicId)).toEqual(growth(before, { visits: 1, evaluations: 3, deposits: 1, labs: 1 }));

    const labels = (await t.http().get(`/api/v1/patients/${patientId}/deposits?limit=200`).set(clinic.staff.auth).expect(200)).body.items.map((d: { label: string }) => d.label);
    expect(labels).toContain(`new deposit ${valid.tag}`);
    expect(labels).not.toContain(`new deposit ${invalid.tag}`);
    const [row] = await t.db.query('SELECT count(*)::int AS n FROM evaluations WHERE clinic_id = $1 AND notes = $2', [clinic.clinicId, invalid.tag]);
    expect(row.n).toBe(0);
  });
});
