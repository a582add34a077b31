import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUser } from '../src/users/users.service';
import { countRows, createClinic, createPatient, newDepositInput, TEST_PASSWORD, type TestClinic } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

describe('a patient with limited scleroderma followed over four visits', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let patientId: string;
  let fingerId: string;
  let elbowId: string;
  let secondVisitFingerEvaluationId: string;

  beforeAll(async () => {
    t = await createTestApp();
    clinic = await createClinic(t);
    patientId = await createPatient(t, clinic.staff, { name: 'Follow Up', conditions: ['systemic-sclerosis-limited'] });
  });
  afterAll(() => t.close());

  it('visit 1 records two new deposits with their first evaluations and derived area and volume', async () => {
    const res = await t
      .http()
      .post(`/api/v1/patients/${patientId}/visits`)
      .set(clinic.staff.auth)
      .send({
        visitDate: '2025-01-10',
        newDeposits: [
          newDepositInput({ label: 'R index pulp' }, { longestDiameterMm: 10, perpendicularDiameterMm: 8, depthMm: 6, painScore: 2 }),
          newDepositInput({ label: 'L olecranon', site: 'elbow', laterality: 'left', depth: 'periarticular', detectedBy: 'xray' }, { method: 'xray', longestDiameterMm: 15 }),
        ],
      })
      .expect(201);
    expect(res.body.newDepositIds).toHaveLength(2);
    [fingerId, elbowId] = res.body.newDepositIds;
    expect(res.body.evaluations).toHaveLength(2);
    const finger = res.body.evaluations.find((e: { depositId: string }) => e.depositId === fingerId);
    expect(finger).toMatchObject({ version: 1, longestDiameterMm: 10, areaMm2: 62.83, volumeMm3: 251.33, ulcerated: false, drainage: 'none', visitDate: '2025-01-10' });
    expect(res.body.alerts).toEqual([]);

    const deposits = await t.http().get(`/api/v1/patients/${patientId}/deposits`).set(clinic.physician.auth).expect(200);
    expect(deposits.body.items.map((d: { label: string }) => d.label)).toEqual(['R index pulp', 'L olecranon']);
    expect(deposits.body.items[0]).toMatchObject({ notedOn: '2025-01-10', status: 'active', priorProcedureSite: false, latestEvaluation: { longestDiameterMm: 10 } });
  });

  it('visit 2 evaluates both deposits and takes labs in SI units, converted and corrected', async () => {
    const res = await t
      .http()
      .post(`/api/v1/patients/${patientId}/visits`)
      .set(clinic.staff.auth)
      .send({
        visitDate: '2025-04-12',
        evaluations: [
          { depositId: fingerId, method: 'caliper', longestDiameterMm: 8, painScore: 3 },
          { depositId: elbowId, method: 'xray', longestDiameterMm: 15.5 },
        ],
        labs: { calcium: { value: 2.6, unit: 'mmol/L' }, albumin: { value: 30, unit: 'g/L' }, phosphate: { value: 1.5, unit: 'mmol/L' } },
      })
      .expect(201);
    secondVisitFingerEvaluationId = res.body.evaluations.find((e: { depositId: string }) => e.depositId === fingerId).id;
    expect(res.body.labs).toMatchObject({ collectedOn: '2025-04-12', calciumMgDl: 10.42, albuminGDl: 3, phosphateMgDl: 4.65 });
    expect(res.body.labs.correctedCalciumMgDl).toBeCloseTo(10.42 + 0.8, 1);
    expect(res.body.labs.calciumPhosphateProduct).toBeCloseTo(10.4208 * 4.6455, 0);

    // each evaluation is stored in the order given, with a version 1 holding exactly what was measured
    const rows: { id: string; deposit_id: string; recorded_at: Date; version_data: Record<string, unknown>; version_recorded_at: Date; version_recorded_by: string }[] = await t.db.query(
      `SELECT e.id, e.deposit_id, e.recorded_at, v.data AS version_data, v.recorded_at AS version_recorded_at, v.recorded_by AS version_recorded_by
         FROM evaluations e JOIN evaluation_versions v ON v.clinic_id = e.clinic_id AND v.evaluation_id = e.id AND v.version = 1
        WHERE e.clinic_id = $1 AND e.visit_id = $2 ORDER BY e.seq`,
      [clinic.clinicId, res.body.id],
    );
    expect(rows.map((r) => r.deposit_id)).toEqual([fingerId, elbowId]);
    expect(rows.map((r) => r.id)).toEqual(res.body.evaluations.map((e: { id: string }) => e.id));
    for (const r of rows) {
      expect(r.version_recorded_at.getTime()).toBe(r.recorded_at.getTime());
      expect(r.version_recorded_by).toBe(clinic.staff.id);
    }
    expect(rows[0].version_data).toEqual({
      method: 'caliper', longestDiameterMm: 8, perpendicularDiameterMm: null, depthMm: null, shape: null, margin: null, landmark: null, xMm: null, yMm: null,
      mobility: null, ulcerated: false, infectionSigns: false, inflammation: false, nerveCompression: false, drainage: 'none', painScore: 3, notes: null,
    });
    expect(rows[1].version_data).toMatchObject({ method: 'xray', longestDiameterMm: 15.5, painScore: null });
  });

  it('visit 3 grows the finger deposit; the deposit view shows baseline, nadir, latest and the changes', async () => {
    await t
      .http()
      .post(`/api/v1/patients/${patientId}/visits`)
      .set(clinic.physician.auth)
      .send({ visitDate: '2025-07-15', evaluations: [{ depositId: fingerId, method: 'caliper', longestDiameterMm: 13, ulcerated: true }] })
      .expect(201);
    const res = await t.http().get(`/api/v1/deposits/${fingerId}`).set(clinic.staff.auth).expect(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body.evaluations.map((e: { longestDiameterMm: number }) => e.longestDiameterMm)).toEqual([10, 8, 13]);
    expect(res.body.baseline.longestDiameterMm).toBe(10);
    expect(res.body.nadir).toMatchObject({ longestDiameterMm: 8, visitDate: '2025-04-12' });
    expect(res.body.latest).toMatchObject({ longestDiameterMm: 13, ulcerated: true });
    expect(res.body.changeSinceBaseline).toEqual({ mm: 3, percent: 30 });
    expect(res.body.changeSinceNadir).toEqual({ mm: 5, percent: 62.5 });
  });

  it('an amendment corrects visit 2 as a new version; the history keeps both, oldest first', async () => {
    const res = await t
      .http()
      .post(`/api/v1/evaluations/${secondVisitFingerEvaluationId}/amendments`)
      .set(clinic.staff.auth)
      .send({ longestDiameterMm: 9, reason: 'transcription error: 9 mm, not 8 mm' })
      .expect(201);
    expect(res.body).toMatchObject({ id: secondVisitFingerEvaluationId, version: 2, longestDiameterMm: 9, painScore: 3, reason: 'transcription error: 9 mm, not 8 mm', recordedBy: clinic.staff.id, recordedByName: 'Test Staff' });

    const history = await t.http().get(`/api/v1/evaluations/${secondVisitFingerEvaluationId}/history`).set(clinic.physician.auth).expect(200);
    expect(history.body.items.map((v: { version: number; longestDiameterMm: number; reason: string | null; recordedByName: string | null }) => [v.version, v.longestDiameterMm, v.reason, v.recordedByName])).toEqual([
      [1, 8, null, 'Test Staff'],
      [2, 9, 'transcription error: 9 mm, not 8 mm', 'Test Staff'],
    ]);
    const deposit = await t.http().get(`/api/v1/deposits/${fingerId}`).set(clinic.staff.auth).expect(200);
    expect(deposit.body.nadir.longestDiameterMm).toBe(9);
    expect(deposit.body.changeSinceNadir).toEqual({ mm: 4, percent: 44.4 });
  });

  it("the history names who recorded each version, from the evaluation's own clinic only (users are a reference table)", async () => {
    const other = await createClinic(t, 'Other clinic');
    const outsider = await createUser(t.db.manager, other.clinicId, { email: `outsider-${other.clinicId.slice(0, 8)}@test.local`, name: 'Other Clinic Staff', role: 'staff', password: TEST_PASSWORD });
    const ownPatient = await createPatient(t, clinic.staff, { name: 'Names In History' });
    const visit = await t.http().post(`/api/v1/patients/${ownPatient}/visits`).set(clinic.staff.auth).send({ visitDate: '2025-02-01', newDeposits: [newDepositInput({ label: 'L thumb' }, { longestDiameterMm: 7 })] }).expect(201);
    const evaluationId: string = visit.body.evaluations[0].id;
    const amended = await t.http().post(`/api/v1/evaluations/${evaluationId}/amendments`).set(clinic.physician.auth).send({ longestDiameterMm: 6, reason: 're-measured' }).expect(201);
    expect(amended.body).toMatchObject({ version: 2, recordedBy: clinic.physician.id, recordedByName: 'Dr. Test' });
    // a version whose recorder is another clinic's user (no foreign key forbids it): that user's name is not this clinic's to show
    await t.db.query(
      `INSERT INTO evaluation_versions (clinic_id, evaluation_id, version, data, reason, recorded_by) SELECT clinic_id, evaluation_id, 3, data, 'copied', $3 FROM evaluation_versions WHERE clinic_id = $1 AND evaluation_id = $2 AND version = 2`,
      [clinic.clinicId, evaluationId, outsider.id],
    );

    const history = await t.http().get(`/api/v1/evaluations/${evaluationId}/history`).set(clinic.staff.auth).expect(200);
    expect(history.body.items.map((v: { version: number; recordedBy: string; recordedByName: string | null }) => [v.version, v.recordedBy, v.recordedByName])).toEqual([
      [1, clinic.staff.id, 'Test Staff'],
      [2, clinic.physician.id, 'Dr. Test'],
      [3, outsider.id, null],
    ]);
  });

  it('an amendment that changes nothing, or gives no reason, is refused and stores nothing', async () => {
    const before = await countRows(t, clinic.clinicId);
    const same = await t.http().post(`/api/v1/evaluations/${secondVisitFingerEvaluationId}/amendments`).set(clinic.staff.auth).send({ longestDiameterMm: 9, reason: 'again' }).expect(400);
    expect(same.body.details[0].field).toBe('body');
    const noReason = await t.http().post(`/api/v1/evaluations/${secondVisitFingerEvaluationId}/amendments`).set(clinic.staff.auth).send({ longestDiameterMm: 11 }).expect(400);
    expect(noReason.body.details.map((d: { field: string }) => d.field)).toContain('reason');
    expect(await countRows(t, clinic.clinicId)).toEqual(before);
  });

  it('treatments carry their tier on the escalation ladder', async () => {
    const colchicine = await t.http().post(`/api/v1/patients/${patientId}/treatments`).set(clinic.staff.auth).send({ kind: 'colchicine', startedOn: '2025-01-15' }).expect(201);
    expect(colchicine.body.tier).toBe(1);
    const litho = await t.http().post(`/api/v1/patients/${patientId}/treatments`).set(clinic.physician.auth).send({ kind: 'lithotripsy', startedOn: '2025-08-01', depositId: elbowId }).expect(201);
    expect(litho.body).toMatchObject({ tier: 3, depositId: elbowId });
    const analgesic = await t.http().post(`/api/v1/patients/${patientId}/treatments`).set(clinic.staff.auth).send({ kind: 'analgesic', startedOn: '2025-08-01' }).expect(201);
    expect(analgesic.body.tier).toBeNull();
  });

  it('lists the visits newest first, each with its evaluations, paged with a cursor', async () => {
    const first = await t.http().get(`/api/v1/patients/${patientId}/visits?limit=2`).set(clinic.staff.auth).expect(200);
    expect(first.body.items.map((v: { visitDate: string }) => v.visitDate)).toEqual(['2025-07-15', '2025-04-12']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.http().get(`/api/v1/patients/${patientId}/visits?limit=2&cursor=${first.body.nextCursor}`).set(clinic.staff.auth).expect(200);
    expect(second.body.items.map((v: { visitDate: string }) => v.visitDate)).toEqual(['2025-01-10']);
    expect(second.body.items[0].newDepositIds).toEqual([fingerId, elbowId]);
    expect(second.body.nextCursor).toBeNull();
    const one = await t.http().get(`/api/v1/visits/${first.body.items[1].id}`).set(clinic.staff.auth).expect(200);
    expect(one.body.evaluations).toHaveLength(2);
    expect(one.body.labResultIds).toHaveLength(1);
  });
});
