import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { createUser } from '../src/users/users.service';
import { createClinic, newDepositInput, patientInput, TEST_PASSWORD, type TestClinic, type TestUser } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * The authorisation matrix: every route the application registers, who may call it, and what each
 * role gets for its own clinic's record, another clinic's record and a missing id. The actors are
 * clinic A's users; clinic B is "another clinic". Nothing a refused or 404 request does may change
 * either clinic (the audit trail aside: it records the refusals).
 */

type Role = 'staff' | 'physician' | 'admin';
type IdKind = 'patient' | 'deposit' | 'visit' | 'evaluation' | 'treatment' | 'alert' | 'user' | 'webhook' | 'none';
type Target = 'own' | 'other' | 'missing';
type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

const ROLES: Role[] = ['staff', 'physician', 'admin'];
const ALL: Role[] = ROLES;
const CLINICAL: Role[] = ['staff', 'physician'];

/** What a body factory gets: the id in the path and the caller. */
interface BodyInput {
  id: string;
  user: TestUser;
}

interface Entry {
  method: Method;
  /** the Express route pattern, exactly as registered */
  path: string;
  query?: string;
  /** no token needed (login, refresh, health, docs) */
  public?: true;
  roles: Role[];
  id: IdKind;
  /** a body that is valid for the route: an allowed caller then gets `status` on its own clinic's record */
  body?: (input: BodyInput) => Record<string, unknown> | Promise<Record<string, unknown>>;
  status: 200 | 201 | 204 | 404;
  /** the request consumes its record (resolve, acknowledge, a user's update): a fresh one per case */
  fresh?: true;
  /** the request ends the caller's session: the caller logs in anew for each case */
  ownSession?: true;
  /** ids of clinic A that the answer must show (list routes) */
  shows?: (a: Records) => string[];
}

/** One clinic's records that the paths name (`delivery`: one of its webhook's deliveries, the `:deliveryId` of a path; `physician`: its physician, whom lists show). */
type Records = Record<Exclude<IdKind, 'none'> | 'delivery' | 'physician', string>;

let counter = 0;
const next = () => ++counter;

/** Set in beforeAll: a fresh refresh token for the refresh route. */
let freshLogin: (user: TestUser) => Promise<{ accessToken: string; refreshToken: string }>;

const DOCS = (path: string, status: 200 | 404 = 200): Entry => ({ method: 'get', path, public: true, roles: ALL, id: 'none', status });

const MATRIX: Entry[] = [
  // auth
  { method: 'post', path: '/api/v1/auth/login', public: true, roles: ALL, id: 'none', status: 200, body: ({ user }) => ({ email: user.email, password: TEST_PASSWORD }) },
  { method: 'post', path: '/api/v1/auth/refresh', public: true, roles: ALL, id: 'none', status: 200, body: async ({ user }) => ({ refreshToken: (await freshLogin(user)).refreshToken }) },
  { method: 'post', path: '/api/v1/auth/logout', roles: ALL, id: 'none', status: 204, ownSession: true },

  // users
  {
    method: 'post',
    path: '/api/v1/users',
    roles: ['admin'],
    id: 'none',
    status: 201,
    body: () => ({ email: `matrix-${randomUUID().slice(0, 8)}@test.local`, name: 'New Colleague', role: 'staff', password: 'a-long-enough-password' }),
  },
  { method: 'get', path: '/api/v1/users', query: 'limit=200', roles: ['admin'], id: 'none', status: 200, shows: (a) => [a.user] },
  { method: 'get', path: '/api/v1/users/physicians', query: 'limit=200', roles: ALL, id: 'none', status: 200, shows: (a) => [a.physician] },
  { method: 'patch', path: '/api/v1/users/:id', roles: ['admin'], id: 'user', status: 200, fresh: true, body: () => ({ specialty: `rheumatology ${next()}` }) },

  // patients
  { method: 'post', path: '/api/v1/patients', roles: ALL, id: 'none', status: 201, body: () => patientInput() },
  { method: 'get', path: '/api/v1/patients', query: 'limit=200', roles: ALL, id: 'none', status: 200, shows: (a) => [a.patient] },
  { method: 'get', path: '/api/v1/patients/:id', roles: ALL, id: 'patient', status: 200, shows: (a) => [a.patient] },
  { method: 'patch', path: '/api/v1/patients/:id', roles: ALL, id: 'patient', status: 200, body: () => ({ familyHistory: next() % 2 === 0 }) },

  // deposits
  {
    method: 'post',
    path: '/api/v1/patients/:id/deposits',
    roles: ALL,
    id: 'patient',
    status: 201,
    body: () => ({ label: `L knee ${next()}`, site: 'knee', laterality: 'left', depth: 'subcutaneous', detectedBy: 'palpation' }),
  },
  { method: 'get', path: '/api/v1/patients/:id/deposits', roles: ALL, id: 'patient', status: 200, shows: (a) => [a.deposit] },
  { method: 'get', path: '/api/v1/deposits/:id', roles: ALL, id: 'deposit', status: 200, shows: (a) => [a.deposit, a.evaluation] },
  { method: 'patch', path: '/api/v1/deposits/:id', roles: ALL, id: 'deposit', status: 200, body: () => ({ siteDetail: `pulp, ${next()} mm from the nail` }) },

  // visits and evaluations
  {
    method: 'post',
    path: '/api/v1/patients/:id/visits',
    roles: CLINICAL,
    id: 'patient',
    status: 201,
    body: () => ({ visitDate: '2025-03-01', newDeposits: [newDepositInput({ label: `R toe ${next()}`, site: 'toe' })] }),
  },
  { method: 'get', path: '/api/v1/patients/:id/visits', roles: ALL, id: 'patient', status: 200, shows: (a) => [a.visit] },
  { method: 'get', path: '/api/v1/visits/:id', roles: ALL, id: 'visit', status: 200, shows: (a) => [a.visit, a.evaluation] },
  { method: 'post', path: '/api/v1/evaluations/:id/amendments', roles: CLINICAL, id: 'evaluation', status: 201, body: () => ({ notes: `re-read ${next()}`, reason: 'note added on review' }) },
  { method: 'get', path: '/api/v1/evaluations/:id/history', roles: CLINICAL, id: 'evaluation', status: 200, shows: (a) => [a.evaluation] },

  // labs
  { method: 'post', path: '/api/v1/patients/:id/labs', roles: CLINICAL, id: 'patient', status: 201, body: () => ({ collectedOn: '2025-03-01', calcium: { value: 9.4, unit: 'mg/dL' } }) },
  { method: 'get', path: '/api/v1/patients/:id/labs', roles: CLINICAL, id: 'patient', status: 200 },

  // treatments
  { method: 'post', path: '/api/v1/patients/:id/treatments', roles: CLINICAL, id: 'patient', status: 201, body: () => ({ kind: 'colchicine', startedOn: '2025-02-01' }) },
  { method: 'get', path: '/api/v1/patients/:id/treatments', roles: CLINICAL, id: 'patient', status: 200, shows: (a) => [a.treatment] },
  { method: 'patch', path: '/api/v1/treatments/:id', roles: CLINICAL, id: 'treatment', status: 200, body: () => ({ outcome: `tolerated, review ${next()}` }) },

  // alerts
  { method: 'get', path: '/api/v1/alerts', query: 'limit=200', roles: ALL, id: 'none', status: 200, shows: (a) => [a.alert] },
  { method: 'get', path: '/api/v1/alerts/:id', roles: ALL, id: 'alert', status: 200, shows: (a) => [a.alert] },
  { method: 'post', path: '/api/v1/alerts/:id/acknowledge', roles: ['physician'], id: 'alert', status: 200, fresh: true },
  { method: 'post', path: '/api/v1/alerts/:id/resolve', roles: ['physician'], id: 'alert', status: 200, fresh: true, body: () => ({ decision: 'continue', note: `reviewed ${next()}` }) },

  // notifications: settings, one's own digest preference, webhooks and their deliveries
  { method: 'get', path: '/api/v1/notification-settings', roles: ALL, id: 'none', status: 200 },
  { method: 'put', path: '/api/v1/notification-settings', roles: ['admin'], id: 'none', status: 200, body: () => ({ dailyDigest: next() % 2 === 0 }) },
  { method: 'get', path: '/api/v1/notification-preferences', roles: ALL, id: 'none', status: 200 },
  { method: 'put', path: '/api/v1/notification-preferences', roles: ALL, id: 'none', status: 200, body: () => ({ dailyDigest: next() % 2 === 0 }) },
  { method: 'post', path: '/api/v1/webhooks', roles: ['admin'], id: 'none', status: 201, body: () => ({ url: `http://127.0.0.1:9/hooks/${next()}` }) },
  { method: 'get', path: '/api/v1/webhooks', query: 'limit=200', roles: ['admin'], id: 'none', status: 200, shows: (a) => [a.webhook] },
  { method: 'get', path: '/api/v1/webhooks/:id', roles: ['admin'], id: 'webhook', status: 200, shows: (a) => [a.webhook] },
  { method: 'patch', path: '/api/v1/webhooks/:id', roles: ['admin'], id: 'webhook', status: 200, body: () => ({ description: `EHR ${next()}` }) },
  { method: 'delete', path: '/api/v1/webhooks/:id', roles: ['admin'], id: 'webhook', status: 204, fresh: true },
  { method: 'post', path: '/api/v1/webhooks/:id/rotate-secret', roles: ['admin'], id: 'webhook', status: 200, body: () => ({ overlapHours: next() % 48 }) },
  { method: 'get', path: '/api/v1/webhooks/:id/deliveries', roles: ['admin'], id: 'webhook', status: 200, shows: (a) => [a.delivery] },
  { method: 'post', path: '/api/v1/webhooks/:id/deliveries/:deliveryId/resend', roles: ['admin'], id: 'webhook', status: 200, shows: (a) => [a.delivery] },

  // rule settings and the audit trail
  { method: 'get', path: '/api/v1/rule-settings', roles: ALL, id: 'none', status: 200 },
  { method: 'get', path: '/api/v1/rule-settings/versions', roles: ALL, id: 'none', status: 200 },
  { method: 'put', path: '/api/v1/rule-settings', roles: ['admin'], id: 'none', status: 200, body: () => ({ regressionPercent: 30 + (next() % 500) / 10 }) },
  { method: 'post', path: '/api/v1/rule-settings/simulate', roles: ['admin'], id: 'none', status: 200, body: () => ({ painIncreasePoints: 2 + (next() % 3) / 2 }) },
  { method: 'get', path: '/api/v1/audit-events', query: 'limit=200', roles: ['admin'], id: 'none', status: 200, shows: (a) => [a.user] },

  // reports and the clinic export
  { method: 'get', path: '/api/v1/patients/:id/report', query: 'format=json', roles: ALL, id: 'patient', status: 200, shows: (a) => [a.patient, a.deposit, a.evaluation, a.alert] },
  { method: 'get', path: '/api/v1/exports/evaluations', query: 'format=csv', roles: ['physician', 'admin'], id: 'none', status: 200, shows: (a) => [a.evaluation] },

  // operations and documentation
  { method: 'get', path: '/health', public: true, roles: ALL, id: 'none', status: 200 },
  DOCS('/docs'),
  DOCS('/docs/'),
  DOCS('/docs/index.html'),
  DOCS('/docs/swagger-ui-init.js'),
  DOCS('/docs/docs/swagger-ui-init.js'),
  // @nestjs/swagger registers it only to hide the UI's licence file: it always answers 404
  DOCS('/docs/LICENSE', 404),
  DOCS('/docs-json'),
  DOCS('/docs-yaml'),
];

const keyOf = (e: { method: string; path: string }) => `${e.method.toUpperCase()} ${e.path}`;
const targetsOf = (e: Entry): Target[] => (e.id === 'none' ? ['own'] : ['own', 'other', 'missing']);
const allowed = (e: Entry, role: Role) => e.public === true || e.roles.includes(role);

function expectedStatus(e: Entry, role: Role, target: Target): number {
  if (!allowed(e, role)) return 403;
  return target === 'own' ? e.status : 404;
}

const TARGET_TEXT: Record<Target, string> = { own: "its own clinic's record", other: "another clinic's record", missing: 'a missing id' };

const CASES = MATRIX.flatMap((entry) =>
  ROLES.flatMap((role) =>
    targetsOf(entry).map((target) => ({
      entry,
      role,
      target,
      name: `${keyOf(entry)} as ${role}${entry.id === 'none' ? '' : ` on ${TARGET_TEXT[target]}`} → ${expectedStatus(entry, role, target)}`,
    })),
  ),
);
const DENIED = CASES.filter((c) => !allowed(c.entry, c.role));
const OWN = CASES.filter((c) => allowed(c.entry, c.role) && c.target === 'own');
const OTHER = CASES.filter((c) => allowed(c.entry, c.role) && c.target === 'other');
const MISSING = CASES.filter((c) => allowed(c.entry, c.role) && c.target === 'missing');
const PRIVATE = MATRIX.filter((e) => !e.public).map((entry) => ({ entry, name: keyOf(entry) }));
const PUBLIC = MATRIX.filter((e) => e.public).map((entry) => ({ entry, name: keyOf(entry) }));

/** What an error body says, without the request id that differs on every request. */
const said = (res: Response) => ({ status: res.status, statusCode: res.body?.statusCode, error: res.body?.error, message: res.body?.message, details: res.body?.details });
const withoutRequestId = (body: unknown) => {
  const { requestId: _ignored, ...rest } = (body ?? {}) as Record<string, unknown>;
  return rest;
};
const onlyB = (fp: Record<string, unknown>) => Object.fromEntries(Object.entries(fp).filter(([key]) => key.endsWith(' of B')));
const textOf = (res: Response): string => (typeof res.text === 'string' ? res.text : Buffer.isBuffer(res.body) ? res.body.toString('utf8') : JSON.stringify(res.body));

describe('authorisation matrix', () => {
  let t: TestApp;
  let a: TestClinic;
  let b: TestClinic;
  /** clinic A's shared records: what its users read and change */
  const A = {} as Records;
  /** clinic B's records that A's users name in paths */
  const B = {} as Records;
  /** identifiers of clinic B that no request of A ever names: seeing one in an answer to A is a leak */
  let bSecrets: string[] = [];
  let alertPatientId: string;
  let fingerprintSql: string;
  let tables: string[] = [];

  const visit = (user: TestUser, patientId: string, body: Record<string, unknown>) =>
    t.http().post(`/api/v1/patients/${patientId}/visits`).set(user.auth).send(body).expect(201);

  /**
   * A patient with a first visit and a follow-up that found a new deposit: its records, and the
   * NEW_DEPOSIT alert the follow-up raised.
   */
  async function seedClinic(clinic: TestClinic, name: string): Promise<Records & { mrn: string }> {
    const input = patientInput({ name });
    const patient = (await t.http().post('/api/v1/patients').set(clinic.staff.auth).send(input).expect(201)).body.id as string;
    const first = await visit(clinic.staff, patient, { visitDate: '2025-01-10', newDeposits: [newDepositInput({ label: 'R index pulp' }, { longestDiameterMm: 10 })] });
    const followUp = await visit(clinic.staff, patient, { visitDate: '2025-04-10', newDeposits: [newDepositInput({ label: 'L olecranon', site: 'elbow', laterality: 'left' })] });
    const alert = (followUp.body.alerts as { id: string; rule: string }[]).find((x) => x.rule === 'NEW_DEPOSIT');
    expect(alert).toBeDefined();
    const treatment = await t.http().post(`/api/v1/patients/${patient}/treatments`).set(clinic.physician.auth).send({ kind: 'colchicine', startedOn: '2025-01-15' }).expect(201);
    const webhook = (await t.http().post('/api/v1/webhooks').set(clinic.admin.auth).send({ url: `http://127.0.0.1:9/hooks/${next()}` }).expect(201)).body.id as string;
    // a delivery of the follow-up's notification, already delivered (no background jobs run here)
    const [delivery] = await t.db.query(
      `INSERT INTO webhook_deliveries (clinic_id, subscription_id, notification_id, notification_seq, state, attempts, delivered_at)
       SELECT n.clinic_id, $2, n.id, n.seq, 'delivered', 1, now() FROM notifications n WHERE n.clinic_id = $1 AND n.alert_id = $3
       RETURNING id`,
      [clinic.clinicId, webhook, alert!.id],
    );
    return {
      patient,
      deposit: first.body.newDepositIds[0],
      visit: first.body.id,
      evaluation: first.body.evaluations[0].id,
      treatment: treatment.body.id,
      alert: alert!.id,
      user: clinic.staff.id,
      physician: clinic.physician.id,
      webhook,
      delivery: delivery.id as string,
      mrn: input.mrn as string,
    };
  }

  /** Fresh records of clinic A for the routes that consume theirs. */
  const FRESH: Partial<Record<IdKind, () => Promise<string>>> = {
    alert: async () => {
      const res = await visit(a.staff, alertPatientId, { visitDate: '2025-06-01', newDeposits: [newDepositInput({ label: `L heel ${next()}`, site: 'foot', laterality: 'left' })] });
      const raised = (res.body.alerts as { id: string; rule: string; depositId: string }[]).find((x) => x.rule === 'NEW_DEPOSIT' && x.depositId === res.body.newDepositIds[0]);
      expect(raised).toBeDefined();
      return raised!.id;
    },
    user: async () => {
      const user = await createUser(t.db.manager, a.clinicId, { email: `target-${randomUUID().slice(0, 8)}@test.local`, name: 'Target User', role: 'staff', password: TEST_PASSWORD });
      return user.id;
    },
    webhook: async () => (await t.http().post('/api/v1/webhooks').set(a.admin.auth).send({ url: `http://127.0.0.1:9/hooks/${next()}` }).expect(201)).body.id as string,
  };

  /**
   * Everything stored for clinics A and B, table by table (every table with a clinic_id but the
   * append-only audit trail): the row count and a digest of the rows' whole content.
   */
  async function fingerprint(): Promise<Record<string, { n: number; digest: string }>> {
    const rows: { tbl: string; clinic: string; n: number; digest: string }[] = await t.db.query(fingerprintSql, [[a.clinicId, b.clinicId]]);
    return Object.fromEntries(rows.map((r) => [`${r.tbl} of ${r.clinic === a.clinicId ? 'A' : 'B'}`, { n: r.n, digest: r.digest }]));
  }

  /**
   * Everything a case needs (a fresh record, a session of its own, a body) made before the request
   * and before the "before" fingerprint: the returned function only sends.
   */
  async function prepare(entry: Entry, role: Role, target: Target): Promise<() => Promise<Response>> {
    const user = a[role];
    const id = entry.id === 'none' ? '' : target === 'own' ? (entry.fresh ? await FRESH[entry.id]!() : A[entry.id]) : target === 'other' ? B[entry.id] : randomUUID();
    const deliveryId = target === 'own' ? A.delivery : target === 'other' ? B.delivery : randomUUID();
    const path = entry.path.replace(':id', id).replace(':deliveryId', deliveryId) + (entry.query ? `?${entry.query}` : '');
    const auth = entry.ownSession ? { Authorization: `Bearer ${(await freshLogin(user)).accessToken}` } : user.auth;
    const body = entry.body ? await entry.body({ id, user }) : undefined;
    return async () => {
      const req = t.http()[entry.method](path).set(auth);
      return body ? req.send(body) : req;
    };
  }

  /** The same request without a token (a public route gets a valid body all the same). */
  async function prepareAnonymous(entry: Entry): Promise<() => Promise<Response>> {
    const id = entry.id === 'none' ? '' : A[entry.id];
    const path = entry.path.replace(':id', id).replace(':deliveryId', A.delivery) + (entry.query ? `?${entry.query}` : '');
    const body = entry.body ? await entry.body({ id, user: a.staff }) : undefined;
    return async () => {
      const req = t.http()[entry.method](path);
      return body ? req.send(body) : req;
    };
  }

  function expectNoLeak(res: Response) {
    const text = textOf(res);
    expect(bSecrets.filter((secret) => text.includes(secret))).toEqual([]);
  }

  beforeAll(async () => {
    t = await createTestApp();
    freshLogin = async (user) => {
      const res = await t.http().post('/api/v1/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
      return { accessToken: res.body.accessToken as string, refreshToken: res.body.refreshToken as string };
    };
    [a, b] = [await createClinic(t, 'Matrix clinic A'), await createClinic(t, 'Matrix clinic B')];

    const tag = randomUUID().slice(0, 8);
    Object.assign(A, await seedClinic(a, `Matrix Alpha ${tag}`));
    alertPatientId = (await seedClinic(a, `Matrix Alerts ${tag}`)).patient;
    Object.assign(B, await seedClinic(b, `Matrix Bravo ${tag}`));

    // B's secrets: a second patient and its records, B's admin and physician (A only ever names B's staff
    // user), and a rule-settings version of B's own
    const hidden = await seedClinic(b, `Matrix Hidden ${tag}`);
    await t.http().put('/api/v1/rule-settings').set(b.admin.auth).send({ regressionPercent: 42 }).expect(200);
    await t.http().put('/api/v1/notification-settings').set(b.admin.auth).send({ emailMinSeverity: 'urgent' }).expect(200);
    bSecrets = [
      b.clinicId, b.admin.id, b.physician.id, hidden.patient, hidden.mrn, `Matrix Hidden ${tag}`, hidden.deposit, hidden.visit, hidden.evaluation, hidden.treatment, hidden.alert,
      hidden.webhook, hidden.delivery,
    ];

    tables = (
      await t.db.query(
        `SELECT c.table_name AS name FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
          WHERE c.table_schema = current_schema() AND c.column_name = 'clinic_id' AND t.table_type = 'BASE TABLE' AND c.table_name <> 'audit_events'
          ORDER BY 1`,
      )
    ).map((r: { name: string }) => r.name);
    fingerprintSql = tables
      .map(
        (table) =>
          `SELECT '${table}' AS tbl, x.clinic_id::text AS clinic, count(*)::int AS n, md5(string_agg(to_jsonb(x)::text, '|' ORDER BY to_jsonb(x)::text)) AS digest
             FROM ${table} x WHERE x.clinic_id = ANY($1::uuid[]) GROUP BY x.clinic_id`,
      )
      .join('\nUNION ALL\n');
  });
  afterAll(() => t.close());

  describe('the matrix and the router', () => {
    let registered: string[];

    beforeAll(() => {
      const express = t.app.getHttpAdapter().getInstance();
      const router = express._router ?? express.router;
      registered = (router.stack as { route?: { path: string; methods: Record<string, boolean> } }[])
        .filter((layer) => layer.route)
        .flatMap((layer) => Object.keys(layer.route!.methods).map((method) => keyOf({ method, path: layer.route!.path })))
        .filter((key) => /^\w+ \/(api\/|health$|docs)/.test(key));
    });

    it('lists every route under /api, /health and /docs that the application registers', () => {
      expect(registered.length).toBeGreaterThan(30);
      expect(registered.filter((key) => !MATRIX.some((e) => keyOf(e) === key))).toEqual([]);
    });

    it('lists no route that the application does not register', () => {
      expect(MATRIX.map(keyOf).filter((key) => !registered.includes(key))).toEqual([]);
    });

    it('lists each route once', () => {
      const keys = MATRIX.map(keyOf);
      expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
    });

    it('fingerprints every clinic table but the audit trail', () => {
      expect(tables).toEqual(expect.arrayContaining(['alerts', 'deposits', 'evaluation_versions', 'evaluations', 'idempotency_keys', 'lab_results', 'patients', 'rule_settings', 'sessions', 'treatments', 'users', 'visits']));
      expect(tables).not.toContain('audit_events');
    });

    it('the fingerprint sees a write, a new version and a new session', async () => {
      const before = await fingerprint();
      await t.http().patch(`/api/v1/patients/${B.patient}`).set(b.staff.auth).send({ familyHistory: next() % 2 === 0 }).expect(200);
      const afterPatch = await fingerprint();
      expect(Object.keys(afterPatch).filter((k) => JSON.stringify(afterPatch[k]) !== JSON.stringify(before[k]))).toEqual(['patients of B']);
      await t.http().put('/api/v1/rule-settings').set(a.admin.auth).send({ regressionPercent: 31.5 }).expect(200);
      await freshLogin(a.staff);
      const afterMore = await fingerprint();
      expect(Object.keys(afterMore).filter((k) => JSON.stringify(afterMore[k]) !== JSON.stringify(afterPatch[k])).sort()).toEqual(['rule_settings of A', 'sessions of A']);
    });

    /** The leak check looks for B's identifiers: each list shows some of them to B itself. */
    const LISTS = MATRIX.filter((e) => e.method === 'get' && e.id === 'none' && !e.public).map((entry) => ({ entry, name: keyOf(entry) }));

    it.each(LISTS)("$name shows B's admin some of B's identifiers that A must never see", async ({ entry }) => {
      const res = await t.http().get(`${entry.path}${entry.query ? `?${entry.query}` : ''}`).set(b.admin.auth).expect(200);
      expect(bSecrets.filter((secret) => textOf(res).includes(secret)).length).toBeGreaterThan(0);
    });
  });

  describe('a role the route does not allow', () => {
    it.each(DENIED)('$name; nothing changes', async ({ entry, role, target }) => {
      const request = await prepare(entry, role, target);
      const before = await fingerprint();
      const res = await request();
      expect(said(res)).toEqual({ status: 403, statusCode: 403, error: 'Forbidden', message: `this action is not allowed for the ${role} role`, details: undefined });
      expect(await fingerprint()).toEqual(before);
    });
  });

  describe("an allowed role on its own clinic's record", () => {
    it.each(OWN)("$name; shows nothing of B's, changes nothing of B's", async ({ entry, role }) => {
      const request = await prepare(entry, role, 'own');
      const bBefore = onlyB(await fingerprint());
      const res = await request();
      expect({ status: res.status, body: res.status === entry.status ? 'as expected' : res.body }).toEqual({ status: entry.status, body: 'as expected' });
      expectNoLeak(res);
      const text = textOf(res);
      expect((entry.shows?.(A) ?? []).filter((id) => !text.includes(id))).toEqual([]);
      expect(onlyB(await fingerprint())).toEqual(bBefore);
    });
  });

  describe("an allowed role on another clinic's record", () => {
    it.each(OTHER)('$name, exactly like a missing id; nothing changes in either clinic', async ({ entry, role }) => {
      const [foreignRequest, missingRequest] = [await prepare(entry, role, 'other'), await prepare(entry, role, 'missing')];
      const before = await fingerprint();
      const foreign = await foreignRequest();
      const missing = await missingRequest();
      expect(said(missing)).toMatchObject({ status: 404, statusCode: 404, error: 'Not Found', message: expect.any(String) });
      expect(said(foreign)).toEqual(said(missing));
      expect(withoutRequestId(foreign.body)).toEqual(withoutRequestId(missing.body));
      expect(await fingerprint()).toEqual(before);
    });
  });

  describe('an allowed role on a missing id', () => {
    it.each(MISSING)('$name; nothing changes', async ({ entry, role }) => {
      const request = await prepare(entry, role, 'missing');
      const before = await fingerprint();
      const res = await request();
      expect(said(res)).toMatchObject({ status: 404, statusCode: 404, error: 'Not Found', message: expect.any(String) });
      expectNoLeak(res);
      expect(await fingerprint()).toEqual(before);
    });
  });

  describe('without a token', () => {
    it.each(PRIVATE)('$name → 401; nothing changes', async ({ entry }) => {
      const request = await prepareAnonymous(entry);
      const before = await fingerprint();
      const res = await request();
      expect(said(res)).toEqual({ status: 401, statusCode: 401, error: 'Unauthorized', message: 'a bearer token is required', details: undefined });
      expect(await fingerprint()).toEqual(before);
    });

    it.each(PUBLIC)('$name is public', async ({ entry }) => {
      const res = await (await prepareAnonymous(entry))();
      expect(res.status).toBe(entry.status);
    });
  });

  describe('the report in every format', () => {
    const FORMATS = ['json', 'csv', 'pdf', 'fhir'].flatMap((format) => ROLES.map((role) => ({ format, role })));

    it.each(FORMATS)("format=$format as $role: own patient 200; another clinic's patient 404 exactly like a missing one", async ({ format, role }) => {
      const get = (id: string) => t.http().get(`/api/v1/patients/${id}/report?format=${format}`).set(a[role].auth);
      const own = await get(A.patient);
      expect(own.status).toBe(200);
      const foreign = await get(B.patient);
      const missing = await get(randomUUID());
      expect(said(missing)).toMatchObject({ status: 404, statusCode: 404, error: 'Not Found' });
      expect(withoutRequestId(foreign.body)).toEqual(withoutRequestId(missing.body));
      expect(foreign.status).toBe(404);
    });
  });

  describe('counts', () => {
    it('runs every route × role × target', () => {
      const byId = MATRIX.filter((e) => e.id !== 'none').length;
      const withoutId = MATRIX.length - byId;
      expect(CASES).toHaveLength(byId * ROLES.length * 3 + withoutId * ROLES.length);
      expect(DENIED.length + OWN.length + OTHER.length + MISSING.length).toBe(CASES.length);
    });
  });
});
