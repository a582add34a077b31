import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClinic, createPatient, type TestClinic } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

/** Stands in a test table for the id of a deposit that exists only once the file's set-up ran. */
const SIBLING = 'the sibling patient\'s deposit';

describe('treatments on the escalation ladder', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let other: TestClinic;
  let patientId: string;
  let siblingId: string;
  let fingerId: string;
  let siblingDepositId: string;
  let foreignDepositId: string;

  // The deposits HTTP route belongs to another module: plain rows are enough here.
  const insertDeposit = async (clinicId: string, ofPatient: string, label: string): Promise<string> => {
    const [row] = await t.db.query(
      `INSERT INTO deposits (clinic_id, patient_id, label, site, laterality, depth, detected_by, noted_on)
       VALUES ($1, $2, $3, 'finger', 'right', 'subcutaneous', 'caliper', '2024-06-01') RETURNING id`,
      [clinicId, ofPatient, label],
    );
    return row.id as string;
  };

  const treatmentCount = async (clinicId: string): Promise<number> => {
    const [row] = await t.db.query('SELECT count(*)::int AS n FROM treatments WHERE clinic_id = $1', [clinicId]);
    return row.n as number;
  };

  const create = (body: Record<string, unknown>, who = clinic.staff, forPatient = patientId) =>
    t.http().post(`/api/v1/patients/${forPatient}/treatments`).set(who.auth).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    clinic = await createClinic(t);
    other = await createClinic(t, 'Other clinic');
    patientId = await createPatient(t, clinic.staff, { conditions: ['dermatomyositis'] });
    siblingId = await createPatient(t, clinic.staff);
    const foreignPatientId = await createPatient(t, other.staff);
    fingerId = await insertDeposit(clinic.clinicId, patientId, 'R index pulp');
    siblingDepositId = await insertDeposit(clinic.clinicId, siblingId, 'L elbow');
    foreignDepositId = await insertDeposit(other.clinicId, foreignPatientId, 'R knee');
  });
  afterAll(() => t.close());

  it.each<[string, number | null]>([
    ['watchful-waiting', 0],
    ['colchicine', 1],
    ['bisphosphonate', 2],
    ['lithotripsy', 3],
    ['surgical-excision', 4],
    ['analgesic', null],
  ])('records %s and answers its tier (%p)', async (kind, tier) => {
    const res = await create({ kind, startedOn: '2024-01-15' }).expect(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      patientId,
      depositId: null,
      kind,
      tier,
      startedOn: '2024-01-15',
      endedOn: null,
      dose: null,
      route: null,
      outcome: null,
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(res.headers.etag).toBe('"1"');
  });

  it('records a treatment targeting a deposit of the patient, with its details', async () => {
    const res = await create(
      { kind: 'intralesional-corticosteroid', startedOn: '2024-03-01', endedOn: '2024-04-01', depositId: fingerId, dose: ' triamcinolone 10 mg/mL ', route: 'intralesional', outcome: 'smaller, less painful' },
      clinic.physician,
    ).expect(201);
    expect(res.body).toMatchObject({ depositId: fingerId, tier: 1, endedOn: '2024-04-01', dose: 'triamcinolone 10 mg/mL', route: 'intralesional', outcome: 'smaller, less painful' });
    const [row] = await t.db.query('SELECT deposit_id, created_by FROM treatments WHERE id = $1 AND clinic_id = $2', [res.body.id, clinic.clinicId]);
    expect(row).toEqual({ deposit_id: fingerId, created_by: clinic.physician.id });
  });

  it.each<[string, () => Record<string, unknown>, string]>([
    ["a deposit of another patient of the clinic", () => ({ kind: 'lithotripsy', startedOn: '2024-05-01', depositId: siblingDepositId }), 'depositId'],
    ["another clinic's deposit", () => ({ kind: 'lithotripsy', startedOn: '2024-05-01', depositId: foreignDepositId }), 'depositId'],
    ['a deposit that does not exist', () => ({ kind: 'lithotripsy', startedOn: '2024-05-01', depositId: '00000000-0000-4000-8000-000000000000' }), 'depositId'],
    ['a depositId that is not a UUID', () => ({ kind: 'lithotripsy', startedOn: '2024-05-01', depositId: 'finger' }), 'depositId'],
    ['an end before the start', () => ({ kind: 'colchicine', startedOn: '2024-05-01', endedOn: '2024-04-30' }), 'endedOn'],
    ['an end in the future', () => ({ kind: 'colchicine', startedOn: '2024-05-01', endedOn: '2999-01-01' }), 'endedOn'],
    ['a start in the future', () => ({ kind: 'colchicine', startedOn: '2999-01-01' }), 'startedOn'],
    ['no start', () => ({ kind: 'colchicine' }), 'startedOn'],
    ['an impossible start date', () => ({ kind: 'colchicine', startedOn: '2024-02-30' }), 'startedOn'],
    ['an unknown kind', () => ({ kind: 'leeches', startedOn: '2024-05-01' }), 'kind'],
    ['no kind', () => ({ startedOn: '2024-05-01' }), 'kind'],
    ['a dose over 200 characters', () => ({ kind: 'colchicine', startedOn: '2024-05-01', dose: 'x'.repeat(201) }), 'dose'],
    ['a blank route', () => ({ kind: 'colchicine', startedOn: '2024-05-01', route: '   ' }), 'route'],
    ['an outcome over 2000 characters', () => ({ kind: 'colchicine', startedOn: '2024-05-01', outcome: 'x'.repeat(2001) }), 'outcome'],
    ['an unknown field', () => ({ kind: 'colchicine', startedOn: '2024-05-01', tier: 1 }), 'tier'],
  ])('refuses %s with a 400 naming the field, and stores nothing', async (_story, body, field) => {
    const before = await treatmentCount(clinic.clinicId);
    const res = await create(body()).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await treatmentCount(clinic.clinicId)).toBe(before);
  });

  it('lists the treatments oldest start first with their tiers, and pages with a cursor', async () => {
    const patient = await createPatient(t, clinic.staff);
    await create({ kind: 'lithotripsy', startedOn: '2024-09-01' }, clinic.staff, patient).expect(201);
    await create({ kind: 'watchful-waiting', startedOn: '2023-02-01' }, clinic.staff, patient).expect(201);
    await create({ kind: 'analgesic', startedOn: '2024-01-10' }, clinic.staff, patient).expect(201);
    await create({ kind: 'colchicine', startedOn: '2024-01-10' }, clinic.staff, patient).expect(201);

    const all = await t.http().get(`/api/v1/patients/${patient}/treatments`).set(clinic.physician.auth).expect(200);
    expect(all.body.items.map((x: { kind: string; tier: number | null }) => [x.kind, x.tier])).toEqual([
      ['watchful-waiting', 0],
      ['analgesic', null],
      ['colchicine', 1],
      ['lithotripsy', 3],
    ]);
    expect(all.body.nextCursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { kind: string }[]; nextCursor: string | null } } = await t
        .http()
        .get(`/api/v1/patients/${patient}/treatments`)
        .query(cursor ? { limit: 3, cursor } : { limit: 3 })
        .set(clinic.staff.auth)
        .expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((x) => x.kind));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['watchful-waiting', 'analgesic', 'colchicine', 'lithotripsy']);
  });

  describe('changing a treatment', () => {
    let id: string;
    const patch = (body: Record<string, unknown>, ifMatch?: string, who = clinic.staff) => {
      const req = t.http().patch(`/api/v1/treatments/${id}`).set(who.auth);
      return (ifMatch === undefined ? req : req.set('If-Match', ifMatch)).send(body);
    };
    const stored = async () => {
      const [row] = await t.db.query('SELECT kind, ended_on, outcome, deposit_id, version FROM treatments WHERE id = $1', [id]);
      return row as { kind: string; ended_on: string | null; outcome: string | null; deposit_id: string | null; version: number };
    };

    beforeAll(async () => {
      id = (await create({ kind: 'diltiazem', startedOn: '2024-02-01', dose: '240 mg daily', route: 'oral' }).expect(201)).body.id;
    });

    it('ends it with the current If-Match: 200, version 2 and a new ETag', async () => {
      const res = await patch({ endedOn: '2024-08-01', outcome: 'no response after six months' }, '"1"').expect(200);
      expect(res.body).toMatchObject({ id, kind: 'diltiazem', tier: 2, startedOn: '2024-02-01', endedOn: '2024-08-01', outcome: 'no response after six months', dose: '240 mg daily', version: 2 });
      expect(res.headers.etag).toBe('"2"');
      expect(await stored()).toMatchObject({ ended_on: '2024-08-01', version: 2 });
    });

    it('refuses a stale If-Match with 412 and changes nothing', async () => {
      const res = await patch({ outcome: 'overwritten' }, '"1"', clinic.physician).expect(412);
      expect(res.body).toMatchObject({ statusCode: 412, error: 'Precondition Failed' });
      await patch({ outcome: 'overwritten' }, 'garbage').expect(412);
      expect(await stored()).toMatchObject({ outcome: 'no response after six months', version: 2 });
    });

    it('changes it without If-Match, targets a deposit and changes the kind (the tier follows)', async () => {
      const res = await patch({ depositId: fingerId, kind: 'bisphosphonate' }).expect(200);
      expect(res.body).toMatchObject({ depositId: fingerId, kind: 'bisphosphonate', tier: 2, version: 3 });
      expect(res.headers.etag).toBe('"3"');
      const cleared = await patch({ depositId: null, outcome: null, kind: 'lithotripsy' }, '"3"').expect(200);
      expect(cleared.body).toMatchObject({ depositId: null, outcome: null, kind: 'lithotripsy', tier: 3, version: 4 });
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['an end before the start', { endedOn: '2024-01-01' }, 'endedOn'],
      ['a start after the end', { startedOn: '2024-09-01' }, 'startedOn'],
      ['a deposit of another patient', { depositId: SIBLING }, 'depositId'],
      ['a null kind (required)', { kind: null }, 'kind'],
      ['a null start (required)', { startedOn: null }, 'startedOn'],
      ['an unknown kind', { kind: 'leeches' }, 'kind'],
      ['an end in the future', { endedOn: '2999-01-01' }, 'endedOn'],
      ['an unknown field', { version: 9 }, 'version'],
    ])('refuses %s with a 400 naming the field, and changes nothing', async (_story, body, field) => {
      const before = await stored();
      const resolved = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, v === SIBLING ? siblingDepositId : v]));
      const res = await patch(resolved).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(await stored()).toEqual(before);
    });

    it('lets only one of two simultaneous changes with the same If-Match through; the other gets 412', async () => {
      const { version } = await stored();
      const results = await Promise.all([
        patch({ outcome: 'first writer' }, `"${version}"`),
        patch({ outcome: 'second writer' }, `"${version}"`, clinic.physician),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
      const winner = results.find((r) => r.status === 200)!;
      expect(await stored()).toMatchObject({ outcome: winner.body.outcome, version: version + 1 });
    });

    it("answers 404 for another clinic's treatment, and for an unknown or malformed id", async () => {
      const before = await stored();
      await patch({ outcome: 'from another clinic' }, undefined, other.staff).expect(404);
      await t.http().patch('/api/v1/treatments/00000000-0000-4000-8000-000000000000').set(clinic.staff.auth).send({ outcome: 'x' }).expect(404);
      const res = await t.http().patch('/api/v1/treatments/not-a-uuid').set(clinic.staff.auth).send({ outcome: 'x' }).expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, message: 'treatment not found' });
      expect(await stored()).toEqual(before);
    });

    it('refuses admins (403)', async () => {
      const before = await stored();
      await patch({ outcome: 'admin edit' }, undefined, clinic.admin).expect(403);
      expect(await stored()).toEqual(before);
    });
  });

  it("answers 404 for another clinic's patient and stores nothing", async () => {
    const foreignPatient = await createPatient(t, other.staff);
    const before = await treatmentCount(other.clinicId);
    const res = await create({ kind: 'colchicine', startedOn: '2024-05-01' }, clinic.staff, foreignPatient).expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, message: 'patient not found' });
    await t.http().get(`/api/v1/patients/${foreignPatient}/treatments`).set(clinic.staff.auth).expect(404);
    expect(await treatmentCount(other.clinicId)).toBe(before);
  });

  it('refuses admins (403) on creating and listing', async () => {
    const before = await treatmentCount(clinic.clinicId);
    await create({ kind: 'colchicine', startedOn: '2024-05-01' }, clinic.admin).expect(403);
    await t.http().get(`/api/v1/patients/${patientId}/treatments`).set(clinic.admin.auth).expect(403);
    expect(await treatmentCount(clinic.clinicId)).toBe(before);
  });
});
