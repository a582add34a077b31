import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { provisionClinic } from '../../src/clinics/clinic-provisioning';
import { createUser } from '../../src/users/users.service';
import { appOn, ownPostgres, waitUntil } from './fault-support';

const PASSWORD = 'fault-drill-password';

interface Outcome {
  marker: string;
  status: number;
  ms: number;
  visitId?: string;
  evaluationIds?: string[];
  alertIds?: string[];
}

/**
 * The drill: visits are logged without pause while the database is killed in immediate mode
 * (as in a crash) and started again. No visit may be lost, doubled or stored in part.
 */
describe('a PostgreSQL crash and restart under visit logging', () => {
  let db: Awaited<ReturnType<typeof ownPostgres>>;
  let svc: Awaited<ReturnType<typeof appOn>>;
  let auth: { Authorization: string };
  let patientId: string;
  let depositId: string;
  const outcomes: Outcome[] = [];
  let recoveryMs = 0;
  let healthWhileDown: { status: number; database: string } | null = null;

  beforeAll(async () => {
    db = await ownPostgres();
    svc = await appOn(db.url);
    const { clinicId } = await provisionClinic(svc.fixtures, { name: 'Fault clinic', adminEmail: 'fault-admin@test.local', adminPassword: PASSWORD });
    await createUser(svc.fixtures.manager, clinicId, { email: 'fault-staff@test.local', name: 'Staff', role: 'staff', password: PASSWORD });
    const login = await svc.http().post('/api/v1/auth/login').send({ email: 'fault-staff@test.local', password: PASSWORD }).expect(200);
    auth = { Authorization: `Bearer ${login.body.accessToken}` };
    patientId = (await svc.http().post('/api/v1/patients').set(auth).send({ mrn: 'F-1', name: 'Fault Patient', birthDate: '1970-01-01', sex: 'female' }).expect(201)).body.id;
    const first = await svc.http().post(`/api/v1/patients/${patientId}/visits`).set(auth)
      .send({ visitDate: '2020-01-01', newDeposits: [{ label: 'base', site: 'hand', laterality: 'left', depth: 'subcutaneous', detectedBy: 'caliper', evaluation: { method: 'caliper', longestDiameterMm: 5 } }] })
      .expect(201);
    [depositId] = first.body.newDepositIds;

    // load: 4 workers logging visits back to back, each visit tagged with a marker
    let running = true;
    let n = 0;
    const worker = async () => {
      while (running) {
        const marker = `fault-${++n}`;
        const started = Date.now();
        const res = await svc.http().post(`/api/v1/patients/${patientId}/visits`).set(auth).send({
          visitDate: '2021-06-01',
          evaluations: [{ depositId, method: 'caliper', longestDiameterMm: 5 + (n % 20), ulcerated: n % 2 === 0, notes: marker }],
          newDeposits: [{ label: marker, site: 'finger', laterality: 'right', depth: 'cutaneous', detectedBy: 'caliper', evaluation: { method: 'caliper', longestDiameterMm: 3, notes: marker } }],
        });
        outcomes.push({
          marker,
          status: res.status,
          ms: Date.now() - started,
          visitId: res.body?.id,
          evaluationIds: res.body?.evaluations?.map((e: { id: string }) => e.id),
          alertIds: res.body?.alerts?.map((a: { id: string }) => a.id),
        });
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    await waitUntil(async () => outcomes.filter((o) => o.status === 201).length >= 20, 30_000, 'visits before the crash');
    await db.pg.crash();
    await waitUntil(async () => outcomes.slice(-4).every((o) => o.status >= 500), 15_000, 'requests failing while the database is down');
    await waitUntil(async () => {
      const health = await svc.http().get('/health');
      healthWhileDown = { status: health.status, database: health.body.database };
      return health.status === 503;
    }, 10_000, '/health to report the database down');
    const restartedAt = Date.now();
    await db.pg.start();
    const before = outcomes.length;
    await waitUntil(async () => outcomes.slice(before).some((o) => o.status === 201), 30_000, 'a visit stored after the restart');
    recoveryMs = Date.now() - restartedAt;
    await waitUntil(async () => outcomes.slice(before).filter((o) => o.status === 201).length >= 10, 30_000, 'more visits after the restart');
    running = false;
    await Promise.all(workers);
  });

  afterAll(async () => {
    await svc?.app.close();
    await svc?.fixtures.destroy();
    await db?.dispose();
  });

  it('answers every failed request with 503 (never a 500), and none hangs past a few seconds', () => {
    const failed = outcomes.filter((o) => o.status !== 201);
    expect(failed.length).toBeGreaterThan(0);
    expect([...new Set(failed.map((o) => o.status))]).toEqual([503]);
    expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan(7_000);
  });

  it('answers again within 10 s of the database coming back, without a restart', () => {
    expect(recoveryMs).toBeLessThan(10_000);
  });

  it('stores every visit that got a 201 exactly once, with all its evaluations and alerts', async () => {
    const ok = outcomes.filter((o) => o.status === 201);
    for (const o of ok) {
      const [{ n: visits }] = await svc.fixtures.query(`SELECT count(*)::int AS n FROM visits WHERE id = $1`, [o.visitId]);
      const evaluations: { id: string }[] = await svc.fixtures.query(`SELECT id FROM evaluations WHERE visit_id = $1`, [o.visitId]);
      const [{ n: tagged }] = await svc.fixtures.query(`SELECT count(*)::int AS n FROM evaluations WHERE notes = $1`, [o.marker]);
      const [{ n: alerts }] = await svc.fixtures.query(`SELECT count(*)::int AS n FROM alerts WHERE id = ANY($1::uuid[])`, [o.alertIds ?? []]);
      expect({ marker: o.marker, visits, evaluations: evaluations.map((e) => e.id).sort(), tagged, alerts }).toEqual({
        marker: o.marker,
        visits: 1,
        evaluations: [...(o.evaluationIds ?? [])].sort(),
        tagged: 2,
        alerts: o.alertIds?.length ?? 0,
      });
    }
  });

  it('leaves no part of a visit that failed: each is either absent or whole', async () => {
    for (const o of outcomes.filter((x) => x.status !== 201)) {
      const [{ n: tagged }] = await svc.fixtures.query(`SELECT count(*)::int AS n FROM evaluations WHERE notes = $1`, [o.marker]);
      const [{ n: deposits }] = await svc.fixtures.query(`SELECT count(*)::int AS n FROM deposits WHERE label = $1`, [o.marker]);
      expect({ marker: o.marker, whole: (tagged === 2 && deposits === 1) || (tagged === 0 && deposits === 0) }).toEqual({ marker: o.marker, whole: true });
    }
    const [{ n: empty }] = await svc.fixtures.query(`SELECT count(*)::int AS n FROM visits v WHERE NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.visit_id = v.id)`);
    expect(empty).toBe(0);
  });

  it('reports the database down in /health during the outage', () => {
    expect(healthWhileDown).toEqual({ status: 503, database: 'down' });
  });

  it('reports the database in /health again', async () => {
    const res = await svc.http().get('/health').expect(200);
    expect(res.body.database).toBe('up');
  });
});
