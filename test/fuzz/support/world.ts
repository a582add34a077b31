import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createClinic, newDepositInput, patientInput, TEST_PASSWORD, type TestClinic, type TestUser } from '../../support/factories';
import { testDatabaseUrl, type TestApp } from '../../support/test-app';
import { isoDay } from './values';

/**
 * The fuzz clinic and everything the generators pick from: actors with live tokens, pools of real
 * record ids (patients, deposits, evaluations, treatments, alerts, users, visits, labs, webhooks and
 * their deliveries), another clinic's ids, and the database fingerprint a rejected request must
 * leave as it found it.
 */

export type Role = 'staff' | 'physician' | 'admin';
export const ROLES: Role[] = ['staff', 'physician', 'admin'];

export interface Actor {
  id: string;
  email: string;
  role: Role;
  token: string;
  sid: string;
}

/** Tables whose rows a rejected request must not change. audit_events is left out: every request, denied or not, is audited. */
export const FINGERPRINT_TABLES = [
  'clinics', 'users', 'patients', 'visits', 'deposits', 'evaluations', 'evaluation_versions', 'lab_results', 'treatments',
  'rule_settings', 'alerts', 'idempotency_keys', 'sessions', 'job_runs',
  'notification_settings', 'notification_preferences', 'notifications', 'webhook_subscriptions', 'webhook_deliveries',
  'webhook_delivery_attempts', 'email_deliveries',
] as const;
export type FingerprintTable = (typeof FINGERPRINT_TABLES)[number];
export type Fingerprint = Record<string, string>;

const DAY = 86_400_000;

const FINGERPRINT_SQL = FINGERPRINT_TABLES.map(
  (table) => `SELECT '${table}' AS t, clinic_id::text AS c, count(*)::text || ':' || coalesce(max(xmin::text::bigint), 0)::text AS v FROM ${table} WHERE clinic_id = ANY($1) GROUP BY clinic_id`,
).join(' UNION ALL ');

/**
 * Per table and clinic: the row count and the newest row version's xmin (the id of the
 * transaction that wrote it). Any insert or update writes a row version with a newer xmin, and a
 * delete lowers the count, so equal fingerprints mean no committed write — without reading the
 * rows' contents. One connection of its own (across clinics) and a prepared statement: well under
 * a millisecond a call, so every request can be checked.
 */
export class Fingerprinter {
  private constructor(private readonly client: pg.Client) {}

  static async open(): Promise<Fingerprinter> {
    const client = new pg.Client({ connectionString: testDatabaseUrl(), options: '-c app.rls_bypass=on', application_name: 'calcitrack-fuzz-fingerprint' });
    await client.connect();
    return new Fingerprinter(client);
  }

  async take(clinics: { fuzz: string; other: string }): Promise<Fingerprint> {
    const { rows } = await this.client.query<{ t: string; c: string; v: string }>({ name: 'fuzz-fingerprint', text: FINGERPRINT_SQL, values: [[clinics.fuzz, clinics.other]] });
    const out: Fingerprint = {};
    for (const r of rows) out[`${r.c === clinics.fuzz ? 'fuzz' : 'other'}.${r.t}`] = r.v;
    return out;
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

function sidOf(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sid: string };
  return payload.sid;
}

function toActor(user: TestUser, role: Role): Actor {
  return { id: user.id, email: user.email, role, token: user.token, sid: sidOf(user.token) };
}

interface Pools {
  patients: string[];
  deposits: string[];
  evaluations: string[];
  treatments: string[];
  alerts: string[];
  unresolvedAlerts: string[];
  users: string[];
  visits: string[];
  labs: string[];
  webhooks: string[];
  /** deliveries of the first webhook (the one resends go to) */
  deliveries: string[];
  patientOf: Map<string, string>;
  depositsOf: Map<string, string[]>;
}

interface SourceUser {
  id: string;
  email: string;
  password: string;
  role: Role;
}

/** Another clinic, shared by the worlds of one file: its records must never change. */
export interface OtherClinic {
  clinic: TestClinic;
  /** one record id of each kind */
  ids: Record<string, string>;
  deposits: string[];
}

export class World {
  clinic!: TestClinic;
  other!: TestClinic;
  actors = {} as Record<Role, Actor>;
  /** one record id of each kind in the other clinic */
  otherIds: Record<string, string> = {};
  otherDeposits: string[] = [];
  refresh = { current: null as string | null, previous: null as string | null };
  pools!: Pools;
  /** bumped by every fixture write, so a fingerprint taken before it is not reused */
  fixtureWrites = 0;
  private sources: Partial<Record<Role, SourceUser>> = {};
  private authAccounts: { loginTarget: SourceUser; lockoutVictim: SourceUser } | null = null;
  private revoked: string | null = null;
  private reserved = new Set<string>();
  private originalHashes = new Map<string, string>();
  private counter = 0;
  private farm: { patientId: string; deposits: number } | null = null;
  /** the webhook subscription whose deliveries the fixtures seeded */
  private deliveryOwner = '';

  constructor(
    readonly t: TestApp,
    private readonly fingerprinter: Fingerprinter,
  ) {}

  unique(prefix: string): string {
    this.counter += 1;
    return `${prefix}-${process.pid}-${this.counter}-${randomUUID().slice(0, 8)}`;
  }

  /**
   * A clinic of its own (three patients with two visits each, treatments, labs, alerts, a few
   * extra users), and another clinic (made once and shared when given).
   */
  static async create(t: TestApp, fingerprinter: Fingerprinter, other?: OtherClinic): Promise<World> {
    const w = new World(t, fingerprinter);
    w.clinic = await createClinic(t, 'Fuzz clinic');
    w.actors = { staff: toActor(w.clinic.staff, 'staff'), physician: toActor(w.clinic.physician, 'physician'), admin: toActor(w.clinic.admin, 'admin') };
    for (const a of Object.values(w.actors)) w.reserved.add(a.id);
    for (let i = 0; i < 3; i++) await w.addUser(ROLES[i % 3], `pool user ${i}`, false);
    const rows: { id: string; password_hash: string }[] = await t.db.query('SELECT id, password_hash FROM users WHERE id = ANY($1)', [[...Object.values(w.actors).map((a) => a.id)]]);
    for (const r of rows) w.originalHashes.set(r.id, r.password_hash);
    for (let i = 0; i < 3; i++) await w.seedPatient(w.clinic, i);
    w.deliveryOwner = await w.seedWebhooks(w.clinic);
    const shared = other ?? (await World.createOtherClinic(t, w));
    w.other = shared.clinic;
    w.otherIds = shared.ids;
    w.otherDeposits = shared.deposits;
    await w.refreshPools();
    return w;
  }

  otherClinic(): OtherClinic {
    return { clinic: this.other, ids: this.otherIds, deposits: this.otherDeposits };
  }

  private static async createOtherClinic(t: TestApp, w: World): Promise<OtherClinic> {
    const clinic = await createClinic(t, 'Fuzz other clinic');
    const patientId = await w.seedPatient(clinic, 0);
    const one = async (sql: string) => ((await t.db.query(sql, [clinic.clinicId])) as { id: string }[]).map((r) => r.id);
    const deposits = await one('SELECT id FROM deposits WHERE clinic_id = $1');
    const [evaluation] = await one('SELECT id FROM evaluations WHERE clinic_id = $1 LIMIT 1');
    const [treatment] = await one('SELECT id FROM treatments WHERE clinic_id = $1 LIMIT 1');
    const [alert] = await one("SELECT id FROM alerts WHERE clinic_id = $1 AND status <> 'resolved' LIMIT 1");
    const [visit] = await one('SELECT id FROM visits WHERE clinic_id = $1 LIMIT 1');
    const [lab] = await one('SELECT id FROM lab_results WHERE clinic_id = $1 LIMIT 1');
    if (!alert) throw new Error('the other clinic fixture raised no alert');
    const webhook = await w.seedWebhooks(clinic);
    const [delivery] = await one('SELECT id FROM webhook_deliveries WHERE clinic_id = $1 LIMIT 1');
    return {
      clinic,
      deposits,
      ids: { patients: patientId, deposits: deposits[0], evaluations: evaluation, treatments: treatment, alerts: alert, users: clinic.physician.id, visits: visit, labs: lab, webhooks: webhook, deliveries: delivery },
    };
  }

  private async addUser(role: Role, name: string, reserve = true): Promise<SourceUser> {
    this.fixtureWrites += 1;
    const email = `${this.unique(role)}@fuzz.test`;
    const password = `fuzz-${randomUUID()}`;
    const res = await this.t.http().post('/api/v1/users').set(this.clinic.admin.auth).send({ email, name, role, password }).expect(201);
    if (reserve) this.reserved.add(res.body.id);
    return { id: res.body.id, email, password, role };
  }

  /** A user who signs in for fresh sessions (the logout route ends the session it is called with). */
  private async sessionSource(role: Role): Promise<SourceUser> {
    this.sources[role] ??= await this.addUser(role, `session source ${role}`);
    return this.sources[role];
  }

  /**
   * The login route's accounts: one it may succeed with (it never gets a wrong password) and one
   * wrong passwords go to (its lockout after five failures is expected).
   */
  async ensureAuthAccounts(): Promise<{ loginTarget: SourceUser; lockoutVictim: SourceUser }> {
    this.authAccounts ??= { loginTarget: await this.addUser('staff', 'login target'), lockoutVictim: await this.addUser('staff', 'lockout victim') };
    return this.authAccounts;
  }

  /** A token whose session has ended. */
  async revokedToken(): Promise<string> {
    if (!this.revoked) {
      const token = await this.freshToken('staff');
      await this.t.http().post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`).expect(204);
      this.revoked = token;
    }
    return this.revoked;
  }

  async login(email: string, password: string): Promise<{ accessToken: string; refreshToken: string }> {
    this.fixtureWrites += 1;
    const res = await this.t.http().post('/api/v1/auth/login').set('X-Forwarded-For', '198.51.100.20').send({ email, password });
    if (res.status !== 200) throw new Error(`fixture login of ${email} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as { accessToken: string; refreshToken: string };
  }

  /** A token of a brand-new session of a user with this role. */
  async freshToken(role: Role): Promise<string> {
    const s = await this.sessionSource(role);
    return (await this.login(s.email, s.password)).accessToken;
  }

  async ensureRefreshChain(): Promise<void> {
    if (this.refresh.current) return;
    const s = await this.sessionSource('physician');
    this.refresh = { current: (await this.login(s.email, s.password)).refreshToken, previous: null };
  }

  /**
   * Two webhook subscriptions, the first with a delivery of each of the clinic's notifications,
   * already delivered (no background jobs run here): what resends pick from. Returns the first.
   */
  private async seedWebhooks(clinic: TestClinic): Promise<string> {
    const ids: string[] = [];
    for (const i of [1, 2]) {
      const res = await this.t.http().post('/api/v1/webhooks').set(clinic.admin.auth).send({ url: `http://127.0.0.1:9/fuzz/${i}` }).expect(201);
      ids.push(res.body.id as string);
    }
    await this.t.db.query(
      `INSERT INTO webhook_deliveries (clinic_id, subscription_id, notification_id, notification_seq, state, attempts, delivered_at)
       SELECT n.clinic_id, $2, n.id, n.seq, 'delivered', 1, now() FROM notifications n WHERE n.clinic_id = $1`,
      [clinic.clinicId, ids[0]],
    );
    return ids[0];
  }

  /** Deletes use up subscriptions: new ones when few are left. */
  async replenishWebhooks(min: number): Promise<void> {
    const [{ n }] = await this.t.db.query(`SELECT count(*)::int AS n FROM webhook_subscriptions WHERE clinic_id = $1 AND deleted_at IS NULL`, [this.clinic.clinicId]);
    if (n >= min) return;
    this.fixtureWrites += 1;
    for (let i = 0; i < 5; i++) {
      await this.t.http().post('/api/v1/webhooks').set(this.clinic.admin.auth).send({ url: `http://127.0.0.1:9/fuzz/${this.unique('spare')}` }).expect(201);
    }
    await this.refreshPools();
  }

  /** Resends turn delivered deliveries into pending ones: puts them back when few are left to resend. */
  async replenishDeliveries(min: number): Promise<void> {
    const [{ n }] = await this.t.db.query(
      `SELECT count(*)::int AS n FROM webhook_deliveries WHERE clinic_id = $1 AND subscription_id = $2 AND state IN ('delivered', 'dead')`,
      [this.clinic.clinicId, this.deliveryOwner],
    );
    if (n >= min) return;
    this.fixtureWrites += 1;
    await this.t.db.query(
      `UPDATE webhook_deliveries SET state = 'delivered', next_attempt_at = NULL WHERE clinic_id = $1 AND subscription_id = $2 AND state = 'pending'`,
      [this.clinic.clinicId, this.deliveryOwner],
    );
  }

  /** Visits at year-old dates: a first visit with deposits, then a follow-up that raises alerts. */
  private async seedPatient(clinic: TestClinic, i: number): Promise<string> {
    const http = () => this.t.http();
    const patientId = (await http().post('/api/v1/patients').set(clinic.staff.auth).send(patientInput({ name: `Fuzz Patient ${i}`, responsiblePhysicianId: clinic.physician.id })).expect(201)).body.id as string;
    const first = await http()
      .post(`/api/v1/patients/${patientId}/visits`)
      .set(clinic.staff.auth)
      .send({
        visitDate: isoDay(Date.now() - 730 * DAY),
        newDeposits: [
          newDepositInput({ label: 'R index pulp' }, { longestDiameterMm: 8, painScore: 2 }),
          newDepositInput({ label: 'L olecranon', site: 'elbow', laterality: 'left', depth: 'periarticular', detectedBy: 'xray' }, { method: 'xray', longestDiameterMm: 15 }),
          newDepositInput({ label: 'R knee', site: 'knee', laterality: 'right' }, { longestDiameterMm: 11, shape: 'round' }),
        ],
      })
      .expect(201);
    const [a, b, c] = first.body.newDepositIds as string[];
    await http()
      .post(`/api/v1/patients/${patientId}/visits`)
      .set(clinic.physician.auth)
      .send({
        visitDate: isoDay(Date.now() - 365 * DAY),
        evaluations: [
          { depositId: a, method: 'caliper', longestDiameterMm: 20, ulcerated: true, painScore: 7, shape: 'irregular' },
          { depositId: b, method: 'xray', longestDiameterMm: 9 },
          { depositId: c, method: 'caliper', longestDiameterMm: 11, drainage: 'chalky', infectionSigns: true },
        ],
        newDeposits: [newDepositInput({ label: 'L thumb', site: 'finger', laterality: 'left', priorProcedureSite: true }, { longestDiameterMm: 6 })],
        labs: { calcium: { value: 11.5, unit: 'mg/dL' }, phosphate: { value: 6.5, unit: 'mg/dL' } },
      })
      .expect(201);
    await http().post(`/api/v1/patients/${patientId}/treatments`).set(clinic.staff.auth).send({ kind: 'colchicine', startedOn: isoDay(Date.now() - 600 * DAY), depositId: a }).expect(201);
    await http().post(`/api/v1/patients/${patientId}/treatments`).set(clinic.staff.auth).send({ kind: 'diltiazem', startedOn: isoDay(Date.now() - 500 * DAY), endedOn: isoDay(Date.now() - 100 * DAY) }).expect(201);
    await http().post(`/api/v1/patients/${patientId}/labs`).set(clinic.staff.auth).send({ collectedOn: isoDay(Date.now() - 30 * DAY), albumin: { value: 3.1, unit: 'g/dL' } }).expect(201);
    return patientId;
  }

  /** Re-reads the id pools of the fuzz clinic (newest records first, bounded). */
  async refreshPools(): Promise<void> {
    const q = <T>(sql: string, params: unknown[] = [this.clinic.clinicId]) => this.t.db.query(sql, params) as Promise<T[]>;
    const [patients, deposits, evaluations, treatments, alerts, users, visits, labs, webhooks, deliveries] = await Promise.all([
      q<{ id: string }>('SELECT id FROM patients WHERE clinic_id = $1 ORDER BY created_at DESC LIMIT 300'),
      q<{ id: string; patient_id: string }>('SELECT id, patient_id FROM deposits WHERE clinic_id = $1 ORDER BY created_at DESC LIMIT 1000'),
      q<{ id: string; patient_id: string }>('SELECT id, patient_id FROM evaluations WHERE clinic_id = $1 ORDER BY created_at DESC LIMIT 400'),
      q<{ id: string; patient_id: string }>('SELECT id, patient_id FROM treatments WHERE clinic_id = $1 ORDER BY created_at DESC LIMIT 300'),
      q<{ id: string; patient_id: string; status: string }>("SELECT id, patient_id, status FROM alerts WHERE clinic_id = $1 ORDER BY status = 'resolved', created_at DESC LIMIT 400"),
      q<{ id: string }>('SELECT id FROM users WHERE clinic_id = $1 AND id <> ALL($2) ORDER BY created_at DESC LIMIT 300', [this.clinic.clinicId, [...this.reserved]]),
      q<{ id: string; patient_id: string }>('SELECT id, patient_id FROM visits WHERE clinic_id = $1 ORDER BY created_at DESC LIMIT 300'),
      q<{ id: string; patient_id: string }>('SELECT id, patient_id FROM lab_results WHERE clinic_id = $1 ORDER BY created_at DESC LIMIT 300'),
      q<{ id: string }>('SELECT id FROM webhook_subscriptions WHERE clinic_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 300'),
      q<{ id: string }>('SELECT id FROM webhook_deliveries WHERE clinic_id = $1 AND subscription_id = $2 ORDER BY notification_seq DESC LIMIT 300', [this.clinic.clinicId, this.deliveryOwner]),
    ]);
    const patientOf = new Map<string, string>();
    const depositsOf = new Map<string, string[]>();
    for (const rows of [deposits, evaluations, treatments, alerts, visits, labs]) for (const r of rows) patientOf.set(r.id, r.patient_id);
    for (const d of deposits) depositsOf.set(d.patient_id, [...(depositsOf.get(d.patient_id) ?? []), d.id]);
    this.pools = {
      patients: patients.map((r) => r.id),
      deposits: deposits.map((r) => r.id),
      evaluations: evaluations.map((r) => r.id),
      treatments: treatments.map((r) => r.id),
      alerts: alerts.map((r) => r.id),
      unresolvedAlerts: alerts.filter((r) => r.status !== 'resolved').map((r) => r.id),
      users: users.map((r) => r.id),
      visits: visits.map((r) => r.id),
      labs: labs.map((r) => r.id),
      webhooks: webhooks.map((r) => r.id),
      deliveries: deliveries.map((r) => r.id),
      patientOf,
      depositsOf,
    };
  }

  /** The ids of a resource named by a path segment; null when the fuzzer has no pool for it. */
  pool(resource: string, preferred: boolean): string[] | null {
    if (resource === 'alerts' && preferred && this.pools.unresolvedAlerts.length) return this.pools.unresolvedAlerts;
    // the subscription whose deliveries exist (a resend names both)
    if (resource === 'webhooks' && preferred && this.pools.webhooks.includes(this.deliveryOwner)) return [this.deliveryOwner];
    const p = (this.pools as unknown as Record<string, unknown>)[resource];
    return Array.isArray(p) ? (p as string[]) : null;
  }

  /** Raises fresh alerts (NEW_DEPOSIT for each new deposit of a follow-up visit) when few are left to decide on. */
  async replenishAlerts(min: number): Promise<boolean> {
    if (this.pools.unresolvedAlerts.length >= min) return false;
    this.fixtureWrites += 1;
    if (!this.farm || this.farm.deposits > 60) {
      const patientId = (await this.t.http().post('/api/v1/patients').set(this.clinic.staff.auth).send(patientInput({ name: 'Alert farm' })).expect(201)).body.id as string;
      await this.t.http().post(`/api/v1/patients/${patientId}/visits`).set(this.clinic.staff.auth).send({ visitDate: isoDay(Date.now() - 400 * DAY), newDeposits: [newDepositInput()] }).expect(201);
      this.farm = { patientId, deposits: 1 };
    }
    const newDeposits = Array.from({ length: 12 }, (_, i) => newDepositInput({ label: `farm deposit ${this.farm!.deposits + i}` }, { longestDiameterMm: 4 + (i % 5) }));
    await this.t.http().post(`/api/v1/patients/${this.farm.patientId}/visits`).set(this.clinic.staff.auth).send({ visitDate: isoDay(Date.now()), newDeposits }).expect(201);
    this.farm.deposits += newDeposits.length;
    await this.refreshPools();
    return true;
  }

  /**
   * An actor whose session a fuzzed request ended (an admin changing their own password or role
   * revokes their sessions) gets its original password back and signs in again.
   */
  async ensureActorsAlive(): Promise<boolean> {
    const rows: { id: string }[] = await this.t.db.query('SELECT id FROM sessions WHERE id = ANY($1) AND revoked_at IS NULL AND expires_at > now()', [
      Object.values(this.actors).map((a) => a.sid),
    ]);
    const live = new Set(rows.map((r) => r.id));
    let restored = false;
    for (const role of ROLES) {
      const actor = this.actors[role];
      if (live.has(actor.sid)) continue;
      this.fixtureWrites += 1;
      await this.t.db.query('UPDATE users SET password_hash = $2, active = true, role = $3 WHERE id = $1', [actor.id, this.originalHashes.get(actor.id), role]);
      const { accessToken } = await this.login(actor.email, TEST_PASSWORD);
      this.actors[role] = { ...actor, token: accessToken, sid: sidOf(accessToken) };
      restored = true;
    }
    return restored;
  }

  fingerprint(): Promise<Fingerprint> {
    return this.fingerprinter.take({ fuzz: this.clinic.clinicId, other: this.other.clinicId });
  }

  /** The current version of a record, for an If-Match that should match. */
  async versionOf(resource: string, id: string | null): Promise<number | null> {
    const tables: Record<string, string> = { patients: 'patients', deposits: 'deposits', treatments: 'treatments', alerts: 'alerts', evaluations: 'evaluations', webhooks: 'webhook_subscriptions' };
    if (resource === 'notification-settings') {
      const [row] = await this.t.db.query('SELECT max(version)::int AS v FROM notification_settings WHERE clinic_id = $1', [this.clinic.clinicId]);
      return row?.v ?? 1;
    }
    if (resource === 'rule-settings') {
      const [row] = await this.t.db.query('SELECT max(version)::int AS v FROM rule_settings WHERE clinic_id = $1', [this.clinic.clinicId]);
      return row?.v ?? null;
    }
    const table = tables[resource];
    if (!table || !id) return null;
    const rows: { version: number }[] = await this.t.db.query(`SELECT version FROM ${table} WHERE id::text = $1`, [id]);
    return rows[0]?.version ?? null;
  }
}
