import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import {
  clinicFingerprint,
  countRows,
  createClinic,
  createPatient,
  newDepositInput,
  patientInput,
  TEST_PASSWORD,
  type TestClinic,
} from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

type Role = 'admin' | 'physician' | 'staff';
const ROLES: Role[] = ['admin', 'physician', 'staff'];
const CLINICAL: Role[] = ['staff', 'physician'];

/** Records of one clinic that the routes name in their path. */
interface Records {
  patientId: string;
  depositId: string;
  visitId: string;
  evaluationId: string;
  treatmentId: string;
  labId: string;
  staffUserId: string;
}

interface Route {
  method: 'get' | 'post' | 'patch';
  path: (r: Records) => string;
  allowed: Role[];
  /** a valid body: the answer then depends only on who asks and on the ids */
  body?: () => Record<string, unknown>;
}

const label = (r: Route) => `${r.method.toUpperCase()} ${r.path({ patientId: ':id', depositId: ':id', visitId: ':id', evaluationId: ':id', treatmentId: ':id', labId: ':id', staffUserId: ':id' })}`;
const isWrite = (r: Route) => r.method !== 'get';

let counter = 0;
const next = () => ++counter;

/** Every route of SPEC's API table that the app serves (login and health are public), with the roles SPEC allows. */
const ROUTES: Route[] = [
  { method: 'post', path: () => '/api/v1/users', allowed: ['admin'], body: () => ({ email: `matrix-${randomUUID().slice(0, 8)}@test.local`, name: 'New Colleague', role: 'staff', password: 'a-long-enough-password' }) },
  { method: 'get', path: () => '/api/v1/users', allowed: ['admin'] },
  { method: 'patch', path: (r) => `/api/v1/users/${r.staffUserId}`, allowed: ['admin'], body: () => ({ specialty: `rheumatology ${next()}` }) },

  { method: 'post', path: () => '/api/v1/patients', allowed: ROLES, body: () => patientInput() },
  { method: 'get', path: () => '/api/v1/patients?search=Tenancy', allowed: ROLES },
  { method: 'get', path: (r) => `/api/v1/patients/${r.patientId}`, allowed: ROLES },
  { method: 'patch', path: (r) => `/api/v1/patients/${r.patientId}`, allowed: ROLES, body: () => ({ familyHistory: next() % 2 === 0 }) },

  { method: 'post', path: (r) => `/api/v1/patients/${r.patientId}/deposits`, allowed: ROLES, body: () => ({ label: `L knee ${next()}`, site: 'knee', laterality: 'left', depth: 'subcutaneous', detectedBy: 'palpation' }) },
  { method: 'get', path: (r) => `/api/v1/patients/${r.patientId}/deposits`, allowed: ROLES },
  { method: 'get', path: (r) => `/api/v1/deposits/${r.depositId}`, allowed: ROLES },
  { method: 'patch', path: (r) => `/api/v1/deposits/${r.depositId}`, allowed: ROLES, body: () => ({ siteDetail: `pulp, ${next()} mm from the nail` }) },

  { method: 'post', path: (r) => `/api/v1/patients/${r.patientId}/visits`, allowed: CLINICAL, body: () => ({ visitDate: '2025-03-01', newDeposits: [newDepositInput({ label: `R toe ${next()}`, site: 'toe' })] }) },
  { method: 'get', path: (r) => `/api/v1/patients/${r.patientId}/visits`, allowed: ROLES },
  { method: 'get', path: (r) => `/api/v1/visits/${r.visitId}`, allowed: ROLES },

  { method: 'post', path: (r) => `/api/v1/evaluations/${r.evaluationId}/amendments`, allowed: CLINICAL, body: () => ({ notes: `re-read ${next()}`, reason: 'note added on review' }) },
  { method: 'get', path: (r) => `/api/v1/evaluations/${r.evaluationId}/history`, allowed: CLINICAL },

  { method: 'post', path: (r) => `/api/v1/patients/${r.patientId}/labs`, allowed: CLINICAL, body: () => ({ collectedOn: '2025-03-01', calcium: { value: 9.4, unit: 'mg/dL' } }) },
  { method: 'get', path: (r) => `/api/v1/patients/${r.patientId}/labs`, allowed: CLINICAL },

  { method: 'post', path: (r) => `/api/v1/patients/${r.patientId}/treatments`, allowed: CLINICAL, body: () => ({ kind: 'colchicine', startedOn: '2025-02-01' }) },
  { method: 'get', path: (r) => `/api/v1/patients/${r.patientId}/treatments`, allowed: CLINICAL },
  { method: 'patch', path: (r) => `/api/v1/treatments/${r.treatmentId}`, allowed: CLINICAL, body: () => ({ outcome: `tolerated, review ${next()}` }) },
];

const FORBIDDEN = ROUTES.flatMap((route) => ROLES.filter((role) => !route.allowed.includes(role)).map((role) => ({ route, role, name: `${label(route)} as ${role}` })));
const ALLOWED = ROUTES.flatMap((route) => route.allowed.map((role) => ({ route, role, name: `${label(route)} as ${role}` })));
/** The routes that name a record in their path. */
const BY_ID = ROUTES.filter((r) => r.path({ patientId: 'X', depositId: 'X', visitId: 'X', evaluationId: 'X', treatmentId: 'X', labId: 'X', staffUserId: 'X' }).includes('/X'));

/** What an error body says, without the request id that differs on every request. */
const said = (res: Response) => ({ status: res.status, statusCode: res.body.statusCode, error: res.body.error, message: res.body.message, details: res.body.details });

describe('roles and tenancy', () => {
  let t: TestApp;
  let a: TestClinic;
  let b: TestClinic;
  const A = {} as Records;
  let bPatientId: string;
  let bDepositId: string;

  const send = (route: Route, records: Records, headers: Record<string, string>) => {
    const req = t.http()[route.method](route.path(records)).set(headers);
    return route.body ? req.send(route.body()) : req;
  };

  beforeAll(async () => {
    t = await createTestApp();
    a = await createClinic(t, 'Clinic A');
    b = await createClinic(t, 'Clinic B');

    A.staffUserId = a.staff.id;
    A.patientId = await createPatient(t, a.staff, { name: `Tenancy Alpha ${randomUUID().slice(0, 6)}` });
    const visit = await t
      .http()
      .post(`/api/v1/patients/${A.patientId}/visits`)
      .set(a.staff.auth)
      .send({ visitDate: '2025-01-10', newDeposits: [newDepositInput({ label: 'R index pulp' }, { longestDiameterMm: 10 })], labs: { calcium: { value: 9.6, unit: 'mg/dL' } } })
      .expect(201);
    A.visitId = visit.body.id;
    [A.depositId] = visit.body.newDepositIds;
    A.evaluationId = visit.body.evaluations[0].id;
    A.treatmentId = (await t.http().post(`/api/v1/patients/${A.patientId}/treatments`).set(a.physician.auth).send({ kind: 'colchicine', startedOn: '2025-01-15', depositId: A.depositId }).expect(201)).body.id;
    A.labId = (await t.http().post(`/api/v1/patients/${A.patientId}/labs`).set(a.staff.auth).send({ collectedOn: '2025-01-20', phosphate: { value: 4.1, unit: 'mg/dL' } }).expect(201)).body.id;

    bPatientId = await createPatient(t, b.staff, { name: 'Tenancy Bravo' });
    const bVisit = await t.http().post(`/api/v1/patients/${bPatientId}/visits`).set(b.staff.auth).send({ visitDate: '2025-01-11', newDeposits: [newDepositInput({ label: 'L elbow', site: 'elbow', laterality: 'left' })] }).expect(201);
    [bDepositId] = bVisit.body.newDepositIds;
  });
  afterAll(() => t.close());

  describe('public routes', () => {
    it('health answers without a token', async () => {
      const res = await t.http().get('/health').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', database: 'up' });
    });

    it('login answers without a token', async () => {
      const res = await t.http().post('/api/v1/auth/login').send({ email: a.staff.email, password: TEST_PASSWORD }).expect(200);
      expect(res.body.user).toMatchObject({ id: a.staff.id, role: 'staff', clinicId: a.clinicId });
    });
  });

  describe('role matrix', () => {
    it('covers every route of SPEC the app serves, each refused to at least one caller or open to all', () => {
      expect(ROUTES).toHaveLength(21);
      expect(FORBIDDEN).toHaveLength(6 /* users × staff, physician */ + 1 /* POST visits */ + 2 /* amendments, history */ + 2 /* labs */ + 3 /* treatments */);
    });

    it.each(FORBIDDEN)('$name → 403, nothing changes', async ({ route, role }) => {
      const before = await clinicFingerprint(t, a.clinicId);
      const res = await send(route, A, a[role].auth);
      expect(said(res)).toEqual({ status: 403, statusCode: 403, error: 'Forbidden', message: expect.any(String), details: undefined });
      if (isWrite(route)) expect(await clinicFingerprint(t, a.clinicId)).toEqual(before);
    });

    it.each(ALLOWED)('$name → allowed (2xx)', async ({ route, role }) => {
      const res = await send(route, A, a[role].auth);
      expect(res.status).not.toBe(403);
      expect({ status: res.status, body: res.status < 300 ? 'ok' : res.body }).toEqual({ status: route.method === 'post' ? 201 : 200, body: 'ok' });
    });

    it.each(ROUTES.map((route) => ({ route, name: label(route) })))('$name without a token, or with a forged one → 401, nothing changes', async ({ route }) => {
      const before = await clinicFingerprint(t, a.clinicId);
      const none = await send(route, A, {});
      expect(said(none)).toEqual({ status: 401, statusCode: 401, error: 'Unauthorized', message: expect.any(String), details: undefined });
      const forged = await send(route, A, { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' });
      expect(forged.status).toBe(401);
      const otherScheme = await send(route, A, { Authorization: `Basic ${Buffer.from(`${a.admin.email}:${TEST_PASSWORD}`).toString('base64')}` });
      expect(otherScheme.status).toBe(401);
      if (isWrite(route)) expect(await clinicFingerprint(t, a.clinicId)).toEqual(before);
    });
  });

  describe("clinic B never reaches clinic A's records", () => {
    let aPatientBefore: unknown;
    let aDepositBefore: unknown;

    beforeAll(async () => {
      aPatientBefore = (await t.http().get(`/api/v1/patients/${A.patientId}`).set(a.staff.auth).expect(200)).body;
      aDepositBefore = (await t.http().get(`/api/v1/deposits/${A.depositId}`).set(a.staff.auth).expect(200)).body;
    });

    const CASES = BY_ID.flatMap((route) => route.allowed.map((role) => ({ route, role, name: `${label(route)} as B's ${role}` })));

    it.each(CASES)("$name with A's id → 404, exactly like a missing id; A unchanged", async ({ route, role }) => {
      const before = await clinicFingerprint(t, a.clinicId);
      const foreign = await send(route, A, b[role].auth);
      const random = randomUUID();
      const missing = await send(route, { patientId: random, depositId: random, visitId: random, evaluationId: random, treatmentId: random, labId: random, staffUserId: random }, b[role].auth);
      expect(said(missing)).toMatchObject({ status: 404, statusCode: 404, error: 'Not Found', message: expect.any(String) });
      expect(said(foreign)).toEqual(said(missing));
      expect(foreign.body).toEqual({ ...missing.body, requestId: foreign.body.requestId });
      expect(await clinicFingerprint(t, a.clinicId)).toEqual(before);
    });

    it("after all of that, A's patient and deposit read exactly as before", async () => {
      expect((await t.http().get(`/api/v1/patients/${A.patientId}`).set(a.staff.auth).expect(200)).body).toEqual(aPatientBefore);
      expect((await t.http().get(`/api/v1/deposits/${A.depositId}`).set(a.staff.auth).expect(200)).body).toEqual(aDepositBefore);
    });

    it("B's patient list and search never show A's patient", async () => {
      const aPatient = aPatientBefore as { id: string; name: string; mrn: string };
      const all = await t.http().get('/api/v1/patients?limit=200').set(b.physician.auth).expect(200);
      expect(all.body.items.map((p: { id: string }) => p.id)).toEqual([bPatientId]);
      for (const search of [aPatient.name, aPatient.mrn, 'Tenancy', aPatient.mrn.slice(0, 6), 'a']) {
        const res = await t.http().get(`/api/v1/patients?search=${encodeURIComponent(search)}`).set(b.staff.auth).expect(200);
        expect(res.body.items.map((p: { id: string }) => p.id)).not.toContain(A.patientId);
      }
      const tenancy = await t.http().get('/api/v1/patients?search=Tenancy').set(b.admin.auth).expect(200);
      expect(tenancy.body.items.map((p: { name: string }) => p.name)).toEqual(['Tenancy Bravo']);
    });

    it("B's user list never shows A's users", async () => {
      const res = await t.http().get('/api/v1/users?limit=200').set(b.admin.auth).expect(200);
      const ids = res.body.items.map((u: { id: string }) => u.id);
      expect(ids.sort()).toEqual([b.admin.id, b.physician.id, b.staff.id].sort());
    });

    it("A's records named inside B's bodies answer like missing ones, and store nothing", async () => {
      const beforeA = await countRows(t, a.clinicId);
      const beforeB = await countRows(t, b.clinicId);
      const visitWith = (depositId: string) =>
        t.http().post(`/api/v1/patients/${bPatientId}/visits`).set(b.staff.auth).send({ visitDate: '2025-03-01', evaluations: [{ depositId, method: 'caliper', longestDiameterMm: 12 }] });
      const foreignVisit = await visitWith(A.depositId);
      expect(said(foreignVisit)).toMatchObject({ status: 400, details: [{ field: 'evaluations[0].depositId', messages: expect.any(Array) }] });
      expect(said(foreignVisit)).toEqual(said(await visitWith(randomUUID())));

      const treatmentOn = (depositId: string) => t.http().post(`/api/v1/patients/${bPatientId}/treatments`).set(b.physician.auth).send({ kind: 'lithotripsy', startedOn: '2025-02-01', depositId });
      const foreignTreatment = await treatmentOn(A.depositId);
      expect(foreignTreatment.status).toBe(400);
      expect(said(foreignTreatment)).toEqual(said(await treatmentOn(randomUUID())));

      const patientWith = (responsiblePhysicianId: string) => t.http().post('/api/v1/patients').set(b.staff.auth).send(patientInput({ responsiblePhysicianId }));
      const foreignPhysician = await patientWith(a.physician.id);
      expect(foreignPhysician.status).toBe(400);
      expect(said(foreignPhysician)).toEqual(said(await patientWith(randomUUID())));

      const patchPatientWith = (responsiblePhysicianId: string) => t.http().patch(`/api/v1/patients/${bPatientId}`).set(b.staff.auth).send({ responsiblePhysicianId });
      const foreignPatch = await patchPatientWith(a.physician.id);
      expect(foreignPatch.status).toBe(400);
      expect(said(foreignPatch)).toEqual(said(await patchPatientWith(randomUUID())));

      const bTreatment = await t.http().post(`/api/v1/patients/${bPatientId}/treatments`).set(b.staff.auth).send({ kind: 'colchicine', startedOn: '2025-02-01' }).expect(201);
      const patchTreatmentWith = (depositId: string) => t.http().patch(`/api/v1/treatments/${bTreatment.body.id}`).set(b.staff.auth).send({ depositId });
      const foreignTarget = await patchTreatmentWith(A.depositId);
      expect(foreignTarget.status).toBe(400);
      expect(said(foreignTarget)).toEqual(said(await patchTreatmentWith(randomUUID())));
      const unchanged = await t.http().get(`/api/v1/patients/${bPatientId}/treatments`).set(b.staff.auth).expect(200);
      expect(unchanged.body.items.find((tr: { id: string }) => tr.id === bTreatment.body.id)).toMatchObject({ depositId: null });

      expect(await countRows(t, a.clinicId)).toEqual(beforeA);
      expect(await countRows(t, b.clinicId)).toEqual({ ...beforeB, treatments: beforeB.treatments + 1 });
      // B's own deposit still works: the refusals above were about A's ids, not the body
      await visitWith(bDepositId).expect(201);
    });
  });

  describe('a path id that is not a UUID', () => {
    const CASES = BY_ID.flatMap((route) => ['not-a-uuid', '12345', `${randomUUID()}x`].map((bad) => ({ route, bad, name: `${label(route)} with "${bad.length > 20 ? '<uuid>x' : bad}"` })));

    it.each(CASES)('$name → 404 like a missing id', async ({ route, bad }) => {
      const role = route.allowed[0];
      const before = await clinicFingerprint(t, a.clinicId);
      const malformed = await send(route, { patientId: bad, depositId: bad, visitId: bad, evaluationId: bad, treatmentId: bad, labId: bad, staffUserId: bad }, a[role].auth);
      const random = randomUUID();
      const missing = await send(route, { patientId: random, depositId: random, visitId: random, evaluationId: random, treatmentId: random, labId: random, staffUserId: random }, a[role].auth);
      expect(said(malformed)).toEqual({ ...said(missing), status: 404 });
      expect(await clinicFingerprint(t, a.clinicId)).toEqual(before);
    });
  });
});
