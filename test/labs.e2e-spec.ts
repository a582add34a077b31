import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClinic, createPatient, type TestClinic } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

describe('recording labs in conventional and SI units', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let other: TestClinic;
  let patientId: string;

  const labCount = async (clinicId: string): Promise<number> => {
    const [row] = await t.db.query('SELECT count(*)::int AS n FROM lab_results WHERE clinic_id = $1', [clinicId]);
    return row.n as number;
  };

  beforeAll(async () => {
    t = await createTestApp();
    clinic = await createClinic(t);
    other = await createClinic(t, 'Other clinic');
    patientId = await createPatient(t, clinic.staff, { conditions: ['chronic-kidney-disease'] });
  });
  afterAll(() => t.close());

  it('converts an SI panel to conventional units and derives corrected calcium and Ca×P', async () => {
    const res = await t
      .http()
      .post(`/api/v1/patients/${patientId}/labs`)
      .set(clinic.staff.auth)
      .send({
        collectedOn: '2025-03-14',
        calcium: { value: 2.6, unit: 'mmol/L' },
        albumin: { value: 30, unit: 'g/L' },
        phosphate: { value: 1.5, unit: 'mmol/L' },
        pth: { value: 10, unit: 'pmol/L' },
        vitaminD: { value: 75, unit: 'nmol/L' },
        egfr: { value: 42, unit: 'mL/min/1.73m2' },
      })
      .expect(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      patientId,
      visitId: null,
      collectedOn: '2025-03-14',
      calciumMgDl: 10.42,
      albuminGDl: 3,
      phosphateMgDl: 4.65,
      pthPgMl: 94.3,
      vitaminDNgMl: 30.05,
      egfrMlMin173m2: 42,
      correctedCalciumMgDl: 11.22,
      calciumPhosphateProduct: 48.45,
      entered: {
        calcium: { value: 2.6, unit: 'mmol/L' },
        albumin: { value: 30, unit: 'g/L' },
        phosphate: { value: 1.5, unit: 'mmol/L' },
        pth: { value: 10, unit: 'pmol/L' },
        vitaminD: { value: 75, unit: 'nmol/L' },
        egfr: { value: 42, unit: 'mL/min/1.73m2' },
      },
      createdAt: expect.any(String),
    });
    // corrected calcium = Ca + 0.8 × (4 − albumin g/dL); Ca×P from the stored mg/dL values
    expect(res.body.correctedCalciumMgDl).toBeCloseTo(res.body.calciumMgDl + 0.8 * (4 - res.body.albuminGDl), 2);
    expect(res.body.calciumPhosphateProduct).toBeCloseTo(res.body.calciumMgDl * res.body.phosphateMgDl, 2);

    const [row] = await t.db.query('SELECT calcium_mg_dl, albumin_g_dl, egfr_ml_min, created_by FROM lab_results WHERE id = $1 AND clinic_id = $2', [res.body.id, clinic.clinicId]);
    expect(row).toEqual({ calcium_mg_dl: 10.42, albumin_g_dl: 3, egfr_ml_min: 42, created_by: clinic.staff.id });
  });

  it('takes conventional units as typed: Ca 11 × P 6.5 is 71.5 mg²/dL², and no albumin means no corrected calcium', async () => {
    const res = await t
      .http()
      .post(`/api/v1/patients/${patientId}/labs`)
      .set(clinic.physician.auth)
      .send({ collectedOn: '2025-05-02', calcium: { value: 11, unit: 'mg/dL' }, phosphate: { value: 6.5, unit: 'mg/dL' } })
      .expect(201);
    expect(res.body).toMatchObject({
      calciumMgDl: 11,
      phosphateMgDl: 6.5,
      calciumPhosphateProduct: 71.5,
      correctedCalciumMgDl: null,
      albuminGDl: null,
      pthPgMl: null,
      vitaminDNgMl: null,
      egfrMlMin173m2: null,
      entered: { calcium: { value: 11, unit: 'mg/dL' }, phosphate: { value: 6.5, unit: 'mg/dL' } },
    });
  });

  it('accepts a single analyte other than calcium', async () => {
    const res = await t.http().post(`/api/v1/patients/${patientId}/labs`).set(clinic.staff.auth).send({ collectedOn: '2024-11-30', egfr: { value: 55, unit: 'mL/min/1.73m2' } }).expect(201);
    expect(res.body).toMatchObject({ egfrMlMin173m2: 55, calciumMgDl: null, correctedCalciumMgDl: null, calciumPhosphateProduct: null, entered: { egfr: { value: 55, unit: 'mL/min/1.73m2' } } });
  });

  it('lists the newest sample first and pages with a cursor', async () => {
    const all = await t.http().get(`/api/v1/patients/${patientId}/labs`).set(clinic.staff.auth).expect(200);
    expect(all.body.items.map((l: { collectedOn: string }) => l.collectedOn)).toEqual(['2025-05-02', '2025-03-14', '2024-11-30']);
    expect(all.body.nextCursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { collectedOn: string }[]; nextCursor: string | null } } = await t
        .http()
        .get(`/api/v1/patients/${patientId}/labs`)
        .query(cursor ? { limit: 2, cursor } : { limit: 2 })
        .set(clinic.physician.auth)
        .expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((l) => l.collectedOn));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['2025-05-02', '2025-03-14', '2024-11-30']);
  });

  it('refuses a cursor it did not issue and a limit above 200', async () => {
    const bad = Buffer.from(JSON.stringify(['not-a-date', 'x', 'y'])).toString('base64url');
    const res = await t.http().get(`/api/v1/patients/${patientId}/labs`).query({ cursor: bad }).set(clinic.staff.auth).expect(400);
    expect(res.body.details).toEqual([{ field: 'cursor', messages: [expect.any(String)] }]);
    await t.http().get(`/api/v1/patients/${patientId}/labs`).query({ limit: 201 }).set(clinic.staff.auth).expect(400);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown unit', { calcium: { value: 9.5, unit: 'mg/L' } }, 'calcium.unit'],
    ['a unit of another analyte', { albumin: { value: 3.5, unit: 'mg/dL' } }, 'albumin.unit'],
    ['an eGFR unit other than mL/min/1.73m2', { egfr: { value: 60, unit: 'mL/min' } }, 'egfr.unit'],
    ['a missing value', { calcium: { unit: 'mg/dL' } }, 'calcium.value'],
    ['a value written as text', { calcium: { value: '9.5', unit: 'mg/dL' } }, 'calcium.value'],
    ['a missing unit', { phosphate: { value: 4 } }, 'phosphate.unit'],
    ['calcium 7 mmol/L (28 mg/dL, out of range)', { calcium: { value: 7, unit: 'mmol/L' } }, 'calcium.value'],
    ['albumin 40 typed as g/dL (out of range)', { calcium: { value: 9.1, unit: 'mg/dL' }, albumin: { value: 40, unit: 'g/dL' } }, 'albumin.value'],
    ['a negative PTH', { pth: { value: -3, unit: 'pg/mL' } }, 'pth.value'],
    ['vitamin D 1200 nmol/L (out of range)', { vitaminD: { value: 1200, unit: 'nmol/L' } }, 'vitaminD.value'],
    ['an analyte that is not an object', { calcium: 9.5 }, 'calcium'],
    ['an analyte set to null', { calcium: null, albumin: { value: 4, unit: 'g/dL' } }, 'calcium'],
    ['an unknown analyte', { calcium: { value: 9.5, unit: 'mg/dL' }, potassium: { value: 4, unit: 'mmol/L' } }, 'potassium'],
    ['an unknown field inside an analyte', { calcium: { value: 9.5, unit: 'mg/dL', flag: 'H' } }, 'calcium.flag'],
    ['no analyte at all', {}, 'calcium'],
  ])('refuses %s with a 400 naming the field, and stores nothing', async (_story, analytes, field) => {
    const before = await labCount(clinic.clinicId);
    const res = await t
      .http()
      .post(`/api/v1/patients/${patientId}/labs`)
      .set(clinic.staff.auth)
      .send({ collectedOn: '2025-06-01', ...analytes })
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(res.body.message).toContain(field);
    expect(await labCount(clinic.clinicId)).toBe(before);
  });

  it('names every analyte when none is given', async () => {
    const res = await t.http().post(`/api/v1/patients/${patientId}/labs`).set(clinic.staff.auth).send({ collectedOn: '2025-06-01' }).expect(400);
    expect(res.body.details).toEqual([{ field: 'calcium', messages: [expect.stringContaining('calcium, albumin, phosphate, pth, vitaminD, egfr')] }]);
  });

  it('shows the converted value when a value is out of range', async () => {
    const res = await t.http().post(`/api/v1/patients/${patientId}/labs`).set(clinic.staff.auth).send({ collectedOn: '2025-06-01', calcium: { value: 7, unit: 'mmol/L' } }).expect(400);
    expect(res.body.details).toEqual([{ field: 'calcium.value', messages: ['must be between 1 and 25 mg/dL (got 7 mmol/L = 28.06 mg/dL); check the value and its unit'] }]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a future collection date', { collectedOn: '2999-01-01' }],
    ['an impossible date', { collectedOn: '2025-02-30' }],
    ['a date in another format', { collectedOn: '14/03/2025' }],
    ['no collection date', { collectedOn: undefined }],
  ])('refuses %s with a 400 naming collectedOn, and stores nothing', async (_story, date) => {
    const before = await labCount(clinic.clinicId);
    const res = await t
      .http()
      .post(`/api/v1/patients/${patientId}/labs`)
      .set(clinic.staff.auth)
      .send({ calcium: { value: 9.5, unit: 'mg/dL' }, ...date })
      .expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['collectedOn']);
    expect(await labCount(clinic.clinicId)).toBe(before);
  });

  it("answers 404 for another clinic's patient, exactly like a missing one, and stores nothing", async () => {
    const foreignPatient = await createPatient(t, other.staff);
    const before = await labCount(other.clinicId);
    const body = { collectedOn: '2025-03-14', calcium: { value: 9.5, unit: 'mg/dL' } };
    const res = await t.http().post(`/api/v1/patients/${foreignPatient}/labs`).set(clinic.staff.auth).send(body).expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, message: 'patient not found' });
    await t.http().get(`/api/v1/patients/${foreignPatient}/labs`).set(clinic.physician.auth).expect(404);
    await t.http().post('/api/v1/patients/00000000-0000-4000-8000-000000000000/labs').set(clinic.staff.auth).send(body).expect(404);
    await t.http().post('/api/v1/patients/not-a-uuid/labs').set(clinic.staff.auth).send(body).expect(404);
    expect(await labCount(other.clinicId)).toBe(before);
  });

  it('refuses admins (403): labs are clinical records', async () => {
    const before = await labCount(clinic.clinicId);
    await t.http().post(`/api/v1/patients/${patientId}/labs`).set(clinic.admin.auth).send({ collectedOn: '2025-03-14', calcium: { value: 9.5, unit: 'mg/dL' } }).expect(403);
    await t.http().get(`/api/v1/patients/${patientId}/labs`).set(clinic.admin.auth).expect(403);
    expect(await labCount(clinic.clinicId)).toBe(before);
  });

  it('documents the routes with summaries and full schemas', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    const post = res.body.paths['/api/v1/patients/{id}/labs'].post;
    expect(post.summary).toEqual(expect.any(String));
    expect(Object.keys(res.body.components.schemas.LabResultDto.properties)).toEqual(
      expect.arrayContaining(['calciumMgDl', 'albuminGDl', 'phosphateMgDl', 'pthPgMl', 'vitaminDNgMl', 'egfrMlMin173m2', 'correctedCalciumMgDl', 'calciumPhosphateProduct', 'entered']),
    );
    expect(res.body.components.schemas.CalciumInputDto.properties.unit.enum).toEqual(['mg/dL', 'mmol/L']);
  });
});
