import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildInboxQuery, UNRESOLVED } from '../src/alerts/alerts.service';
import { createClinic, createPatient, errorFields, newDepositInput, type TestClinic, type TestUser } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

interface AlertBody {
  id: string;
  patientId: string;
  depositId: string | null;
  rule: string;
  severity: string;
  status: string;
  version: number;
  createdAt: string;
}

/** What a patient's two visits raised: the alerts by rule. */
type Raised = Record<string, AlertBody>;

const byId = (a: AlertBody, b: AlertBody) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

describe("the physician's alert inbox", () => {
  let t: TestApp;
  let other: TestClinic;

  const visit = (user: TestUser, patientId: string, body: Record<string, unknown>) =>
    t.http().post(`/api/v1/patients/${patientId}/visits`).set(user.auth).send(body).expect(201);

  /**
   * A finger deposit of 10 mm at a first visit; three months later it has ulcerated and shows signs
   * of infection (COMPLICATION, urgent), and a new elbow deposit of `newMm` appeared (NEW_DEPOSIT,
   * warning; with 6 mm the total burden also rises past +20 % and +5 mm: BURDEN_GROWTH, warning).
   * `infection: false` makes the complication high instead of urgent.
   */
  async function raiseAlerts(
    clinic: TestClinic,
    { patient = {}, firstVisit = '2025-01-10', followUp = '2025-04-10', newMm = 6, infection = true } = {},
  ): Promise<{ patientId: string; fingerId: string; elbowId: string; alerts: Raised }> {
    const patientId = await createPatient(t, clinic.staff, patient);
    const first = await visit(clinic.staff, patientId, { visitDate: firstVisit, newDeposits: [newDepositInput({ label: 'R index pulp' }, { longestDiameterMm: 10 })] });
    expect(first.body.alerts).toEqual([]);
    const fingerId = first.body.newDepositIds[0] as string;
    const second = await visit(clinic.staff, patientId, {
      visitDate: followUp,
      evaluations: [{ depositId: fingerId, method: 'caliper', longestDiameterMm: 10, ulcerated: true, infectionSigns: infection }],
      newDeposits: [newDepositInput({ label: 'L olecranon', site: 'elbow', laterality: 'left' }, { longestDiameterMm: newMm })],
    });
    const alerts: Raised = Object.fromEntries((second.body.alerts as AlertBody[]).map((a) => [a.rule, a]));
    expect(alerts.COMPLICATION).toMatchObject({ depositId: fingerId, severity: infection ? 'urgent' : 'high', status: 'open', version: 1 });
    expect(alerts.NEW_DEPOSIT).toMatchObject({ depositId: second.body.newDepositIds[0], severity: 'warning' });
    return { patientId, fingerId, elbowId: second.body.newDepositIds[0] as string, alerts };
  }

  beforeAll(async () => {
    t = await createTestApp();
    other = await createClinic(t, 'Other clinic');
  });
  afterAll(() => t.close());

  describe('listing', () => {
    let clinic: TestClinic;
    let p1: Awaited<ReturnType<typeof raiseAlerts>>;
    let p2: Awaited<ReturnType<typeof raiseAlerts>>;
    let p3: Awaited<ReturnType<typeof raiseAlerts>>;
    /** The unresolved inbox in the expected order. */
    let expected: AlertBody[];

    const inbox = (query: Record<string, string | number | boolean> = {}, who?: TestUser) =>
      t.http().get('/api/v1/alerts').query(query).set((who ?? clinic.physician).auth);
    const ids = (items: AlertBody[]) => items.map((a) => a.id);

    beforeAll(async () => {
      clinic = await createClinic(t, 'Inbox clinic');
      // p1: the physician's own patient: urgent complication, new deposit and burden growth (one visit, so one created_at)
      p1 = await raiseAlerts(clinic, { patient: { responsiblePhysicianId: clinic.physician.id } });
      expect(p1.alerts.BURDEN_GROWTH).toMatchObject({ depositId: null, severity: 'warning' });
      // p2, logged later: a complication without infection (high) and a small new deposit (warning, no burden growth)
      p2 = await raiseAlerts(clinic, { newMm: 3, infection: false });
      expect(Object.keys(p2.alerts).sort()).toEqual(['COMPLICATION', 'NEW_DEPOSIT']);
      // p3, logged last: everything resolved, so the inbox does not show it
      p3 = await raiseAlerts(clinic, { newMm: 3, infection: false });
      for (const alert of Object.values(p3.alerts)) {
        await t.http().post(`/api/v1/alerts/${alert.id}/resolve`).set(clinic.physician.auth).send({ decision: 'continue' }).expect(200);
      }
      // an acknowledged alert stays in the inbox
      await t.http().post(`/api/v1/alerts/${p1.alerts.BURDEN_GROWTH.id}/acknowledge`).set(clinic.physician.auth).expect(200);

      expect(p2.alerts.NEW_DEPOSIT.createdAt > p1.alerts.NEW_DEPOSIT.createdAt).toBe(true);
      expected = [p1.alerts.COMPLICATION, p2.alerts.COMPLICATION, ...[p1.alerts.NEW_DEPOSIT, p1.alerts.BURDEN_GROWTH].sort(byId), p2.alerts.NEW_DEPOSIT];
    });

    it('shows the unresolved alerts, most severe first, then oldest first (ties by id)', async () => {
      const res = await inbox().expect(200);
      expect(ids(res.body.items)).toEqual(ids(expected));
      expect(res.body.items.map((a: AlertBody) => a.severity)).toEqual(['urgent', 'high', 'warning', 'warning', 'warning']);
      expect(res.body.items.find((a: AlertBody) => a.id === p1.alerts.BURDEN_GROWTH.id).status).toBe('acknowledged');
      expect(res.body.nextCursor).toBeNull();
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers.etag).toBeUndefined(); // a list is never cached: no ETag hashed from its body
    });

    it('is open to every role', async () => {
      for (const who of [clinic.staff, clinic.admin]) {
        const res = await inbox({}, who).expect(200);
        expect(ids(res.body.items)).toEqual(ids(expected));
      }
    });

    it.each<[string, Record<string, string>, () => AlertBody[]]>([
      ['one status', { status: 'acknowledged' }, () => [p1.alerts.BURDEN_GROWTH]],
      ['only the resolved ones', { status: 'resolved' }, () => [p3.alerts.COMPLICATION, p3.alerts.NEW_DEPOSIT]],
      ['a list of statuses', { status: 'open,resolved' }, () => [p1.alerts.COMPLICATION, p2.alerts.COMPLICATION, p3.alerts.COMPLICATION, p1.alerts.NEW_DEPOSIT, p2.alerts.NEW_DEPOSIT, p3.alerts.NEW_DEPOSIT]],
      ['a list of severities', { severity: 'urgent,high' }, () => [p1.alerts.COMPLICATION, p2.alerts.COMPLICATION]],
      ['one severity and one status', { severity: 'warning', status: 'open' }, () => [p1.alerts.NEW_DEPOSIT, p2.alerts.NEW_DEPOSIT]],
      ['one patient', { patientId: '<p2>' }, () => [p2.alerts.COMPLICATION, p2.alerts.NEW_DEPOSIT]],
      ['one deposit', { depositId: '<p1 finger>' }, () => [p1.alerts.COMPLICATION]],
      ['one rule', { rule: 'NEW_DEPOSIT' }, () => [p1.alerts.NEW_DEPOSIT, p2.alerts.NEW_DEPOSIT]],
      ["the caller's own patients", { mine: 'true' }, () => [p1.alerts.COMPLICATION, ...[p1.alerts.NEW_DEPOSIT, p1.alerts.BURDEN_GROWTH].sort(byId)]],
      ['mine=false (no filter)', { mine: 'false' }, () => expected],
    ])('filters by %s', async (_story, query, want) => {
      const q = Object.fromEntries(
        Object.entries(query).map(([k, v]) => [k, v === '<p2>' ? p2.patientId : v === '<p1 finger>' ? p1.fingerId : v]),
      );
      const res = await inbox(q).expect(200);
      // the expectation is in inbox order already except where ties in created_at are broken by id
      const sorted = [...want()].sort((a, b) => {
        const rank = ['info', 'warning', 'high', 'urgent'];
        return rank.indexOf(b.severity) - rank.indexOf(a.severity) || a.createdAt.localeCompare(b.createdAt) || byId(a, b);
      });
      expect(ids(res.body.items)).toEqual(ids(sorted));
    });

    it("mine=true shows nothing to a user who is no patient's responsible physician", async () => {
      const res = await inbox({ mine: 'true' }, clinic.admin).expect(200);
      expect(res.body).toEqual({ items: [], nextCursor: null });
    });

    it.each<[string, Record<string, string | number>, string]>([
      ['an unknown status', { status: 'closed' }, 'status'],
      ['an unknown status in a list', { status: 'open,closed' }, 'status'],
      ['an empty status', { status: '' }, 'status'],
      ['an unknown severity in a list', { severity: 'urgent,critical' }, 'severity'],
      ['an unknown rule', { rule: 'GROWTH' }, 'rule'],
      ['a patientId that is not a UUID', { patientId: 'p1' }, 'patientId'],
      ['mine=yes', { mine: 'yes' }, 'mine'],
      ['limit 0', { limit: 0 }, 'limit'],
      ['limit 201', { limit: 201 }, 'limit'],
      ['a forged cursor', { cursor: Buffer.from(JSON.stringify([1, 'x', 'y'])).toString('base64url') }, 'cursor'],
      ['an unknown parameter', { sort: 'created_at' }, 'sort'],
    ])('refuses %s with a 400 naming the field', async (_story, query, field) => {
      const res = await inbox(query).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(errorFields(res.body)).toContain(field);
    });

    it("answers 404 for a patient or deposit the clinic does not have, another clinic's included", async () => {
      const foreign = await raiseAlerts(other);
      for (const query of [{ patientId: foreign.patientId }, { patientId: '00000000-0000-4000-8000-000000000000' }]) {
        const res = await inbox(query).expect(404);
        expect(res.body.message).toBe('patient not found');
      }
      const res = await inbox({ depositId: foreign.fingerId }).expect(404);
      expect(res.body.message).toBe('deposit not found');
      // and the other clinic's alerts never show up in this inbox
      const mine = await inbox({ status: 'open,acknowledged,resolved', limit: 200 }).expect(200);
      expect(mine.body.items.some((a: AlertBody) => a.patientId === foreign.patientId)).toBe(false);
    });

    it('pages through the inbox with a cursor, in the same order', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { body: { items: AlertBody[]; nextCursor: string | null } } = await inbox(cursor ? { limit: 2, cursor } : { limit: 2 }).expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...ids(page.body.items));
        cursor = page.body.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(ids(expected));
    });

    it('reads the inbox from alerts_inbox_idx, in index order (no sort under the per-status scan)', async () => {
      const explain = (filter: Parameters<typeof buildInboxQuery>[1]) =>
        t.db.transaction(async (manager) => {
          // the test's clinic has a handful of alerts: the planner rightly prefers scanning them all and
          // sorting; what is checked is that the index can serve the filter and the order alone
          await manager.query('SET LOCAL enable_seqscan = off');
          await manager.query('SET LOCAL enable_bitmapscan = off');
          await manager.query('SET LOCAL enable_sort = off');
          const { sql, params } = buildInboxQuery(manager, filter);
          const rows: { 'QUERY PLAN': string }[] = await manager.query(`EXPLAIN ${sql}`, params);
          return rows.map((r) => r['QUERY PLAN']).join('\n');
        });
      const readInOrder = /Limit[^\n]*\n\s*->\s+Index (Only )?Scan using alerts_inbox_idx on alerts/;

      // the default inbox (open + acknowledged) and a single status
      for (const statuses of [UNRESOLVED, ['resolved' as const]]) {
        const plan = await explain({ clinicId: clinic.clinicId, statuses, limit: 50 });
        expect(plan).toMatch(readInOrder);
        expect(plan).toMatch(/Index Cond: \(\(clinic_id = '[0-9a-f-]+'::uuid\) AND \(status = s\.status\)\)/);
      }
      // a later page of a filtered inbox
      const filtered = await explain({
        clinicId: clinic.clinicId,
        statuses: UNRESOLVED,
        severities: ['warning', 'high'],
        rule: 'NEW_DEPOSIT',
        responsiblePhysicianId: clinic.physician.id,
        after: [2, expected[1].createdAt, expected[1].id],
        limit: 2,
      });
      expect(filtered).toContain('Index Scan using alerts_inbox_idx on alerts');
    });
  });

  describe('an inbox item', () => {
    it("is the alert as its own page shows it (without the evidence history), with its patient's MRN and name and its deposit's label", async () => {
      const clinic = await createClinic(t, 'Item clinic');
      // every field filled in somewhere: an acknowledged alert, a resolved one with a note that needs escaping, names that do too
      const { alerts } = await raiseAlerts(clinic, { patient: { mrn: 'MRN-"7"\\x', name: 'Zoë "Z" O\'Brien — 渡辺' } });
      await t.http().post(`/api/v1/alerts/${alerts.NEW_DEPOSIT.id}/acknowledge`).set(clinic.physician.auth).expect(200);
      await t.http().post(`/api/v1/alerts/${alerts.NEW_DEPOSIT.id}/resolve`).set(clinic.physician.auth)
        .send({ decision: 'escalate', note: 'line one\n"quoted" \\ tab\there — ✓ 🙂' }).expect(200);
      await t.http().post(`/api/v1/alerts/${alerts.BURDEN_GROWTH.id}/acknowledge`).set(clinic.physician.auth).expect(200);

      const res = await t.http().get('/api/v1/alerts').query({ status: 'open,acknowledged,resolved' }).set(clinic.staff.auth).expect(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.items.map((a: AlertBody) => a.rule).sort()).toEqual(Object.keys(alerts).sort());
      for (const item of res.body.items) {
        const detail = await t.http().get(`/api/v1/alerts/${item.id}`).set(clinic.staff.auth).expect(200);
        const { evidenceHistory, acknowledgedByName, resolvedByName, ...listed } = detail.body;
        expect([evidenceHistory, acknowledgedByName, resolvedByName].every((v) => v !== undefined)).toBe(true);
        const patient = await t.http().get(`/api/v1/patients/${item.patientId}`).set(clinic.staff.auth).expect(200);
        const label = item.depositId ? (await t.http().get(`/api/v1/deposits/${item.depositId}`).set(clinic.staff.auth).expect(200)).body.label : null;
        expect(Object.keys(item)).toEqual([...Object.keys(listed), 'patientMrn', 'patientName', 'depositLabel']);
        expect(item).toEqual({ ...listed, patientMrn: patient.body.mrn, patientName: patient.body.name, depositLabel: label });
      }
      const resolved = res.body.items.find((a: AlertBody) => a.id === alerts.NEW_DEPOSIT.id);
      expect(resolved).toMatchObject({ status: 'resolved', decision: 'escalate', note: 'line one\n"quoted" \\ tab\there — ✓ 🙂', patientName: 'Zoë "Z" O\'Brien — 渡辺', patientMrn: 'MRN-"7"\\x' });
      expect(resolved.acknowledgedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(resolved.resolvedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    });
  });

  describe('one alert, acknowledged and resolved', () => {
    let clinic: TestClinic;

    const get = (id: string, who?: TestUser) => t.http().get(`/api/v1/alerts/${id}`).set((who ?? clinic.physician).auth);
    const acknowledge = (id: string, who?: TestUser, ifMatch?: string) => {
      const req = t.http().post(`/api/v1/alerts/${id}/acknowledge`).set((who ?? clinic.physician).auth);
      return ifMatch === undefined ? req : req.set('If-Match', ifMatch);
    };
    const resolve = (id: string, body: Record<string, unknown>, who?: TestUser, ifMatch?: string) => {
      const req = t.http().post(`/api/v1/alerts/${id}/resolve`).set((who ?? clinic.physician).auth);
      return (ifMatch === undefined ? req : req.set('If-Match', ifMatch)).send(body);
    };
    const stored = async (id: string) => {
      const [row] = await t.db.query(
        `SELECT status, version, decision, note, resolved_by, resolved_at, reference_date, acknowledged_by, acknowledged_at, updated_at, created_at FROM alerts WHERE id = $1`,
        [id],
      );
      return row as Record<string, unknown>;
    };

    beforeAll(async () => {
      clinic = await createClinic(t, 'Decisions clinic');
    });

    it('shows one alert with its evidence history and an ETag', async () => {
      const { patientId, fingerId, alerts } = await raiseAlerts(clinic);
      // a third visit adds drainage: new evidence updates the alert, keeping the old evidence
      const third = await visit(clinic.staff, patientId, {
        visitDate: '2025-07-10',
        evaluations: [{ depositId: fingerId, method: 'caliper', longestDiameterMm: 10, ulcerated: true, infectionSigns: true, drainage: 'chalky' }],
      });
      expect(third.body.alerts.map((a: AlertBody) => [a.rule, a.id, a.version])).toContainEqual(['COMPLICATION', alerts.COMPLICATION.id, 2]);

      const res = await get(alerts.COMPLICATION.id, clinic.staff).expect(200);
      expect(res.headers.etag).toBe('"2"');
      expect(res.body).toMatchObject({ id: alerts.COMPLICATION.id, patientId, depositId: fingerId, rule: 'COMPLICATION', severity: 'urgent', status: 'open', version: 2 });
      expect(res.body.evidenceHistory).toHaveLength(1);
      expect(res.body.evidenceHistory[0]).toMatchObject({ severity: 'urgent', settingsVersion: 1, evidence: { newSigns: ['ulcerated', 'infectionSigns'] } });
      expect(res.body.evidence).toMatchObject({ currentDate: '2025-07-10' });
      for (const who of [clinic.admin, clinic.physician]) await get(alerts.COMPLICATION.id, who).expect(200);
    });

    it('a physician acknowledges an open alert; again changes nothing; staff and admins may not', async () => {
      const { alerts } = await raiseAlerts(clinic);
      const id = alerts.NEW_DEPOSIT.id;
      for (const who of [clinic.staff, clinic.admin]) {
        const res = await acknowledge(id, who).expect(403);
        expect(res.body.statusCode).toBe(403);
      }
      expect(await stored(id)).toMatchObject({ status: 'open', version: 1 });

      const res = await acknowledge(id, clinic.physician, '"1"').expect(200);
      expect(res.headers.etag).toBe('"2"');
      expect(res.body).toMatchObject({ id, status: 'acknowledged', version: 2, acknowledgedBy: clinic.physician.id, acknowledgedAt: expect.any(String), evidenceHistory: [] });
      const after = await stored(id);
      expect(after).toMatchObject({ status: 'acknowledged', version: 2, acknowledged_by: clinic.physician.id });
      expect((after.updated_at as Date).getTime()).toBeGreaterThan((after.created_at as Date).getTime());

      const again = await acknowledge(id).expect(200);
      expect(again.headers.etag).toBe('"2"');
      expect(again.body).toMatchObject({ status: 'acknowledged', version: 2, acknowledgedAt: res.body.acknowledgedAt });
      expect(await stored(id)).toEqual(after);
    });

    it('acknowledging with a stale If-Match is a 412 and changes nothing', async () => {
      const { alerts } = await raiseAlerts(clinic);
      const res = await acknowledge(alerts.NEW_DEPOSIT.id, clinic.physician, '"7"').expect(412);
      expect(res.body).toMatchObject({ statusCode: 412, error: 'Precondition Failed' });
      expect(await stored(alerts.NEW_DEPOSIT.id)).toMatchObject({ status: 'open', version: 1, acknowledged_by: null });
    });

    it('a physician resolves an acknowledged alert with a decision and a note; the reference date is the deposit\'s latest evaluation', async () => {
      const { alerts } = await raiseAlerts(clinic, { followUp: '2025-04-11' });
      const id = alerts.COMPLICATION.id;
      await acknowledge(id).expect(200);
      const res = await resolve(id, { decision: 'escalate', note: '  start colchicine; review in 6 weeks ' }, clinic.physician, '"2"').expect(200);
      expect(res.headers.etag).toBe('"3"');
      expect(res.body).toMatchObject({
        id,
        status: 'resolved',
        decision: 'escalate',
        note: 'start colchicine; review in 6 weeks',
        resolvedBy: clinic.physician.id,
        resolvedAt: expect.any(String),
        acknowledgedBy: clinic.physician.id,
        version: 3,
      });
      expect(await stored(id)).toMatchObject({ status: 'resolved', version: 3, decision: 'escalate', resolved_by: clinic.physician.id, reference_date: '2025-04-11' });
      const read = await get(id).expect(200);
      expect(read.headers.etag).toBe('"3"');
      expect(read.body.status).toBe('resolved');
    });

    it('an open alert can be resolved directly, without If-Match; a patient-level alert takes the latest visit as its reference', async () => {
      const { patientId, alerts } = await raiseAlerts(clinic, { followUp: '2025-04-12' });
      // an older visit logged late does not move the reference back
      await visit(clinic.staff, patientId, { visitDate: '2025-02-01', evaluations: [{ depositId: alerts.COMPLICATION.depositId, method: 'caliper', longestDiameterMm: 10 }] });
      const res = await resolve(alerts.BURDEN_GROWTH.id, { decision: 'continue' }).expect(200);
      expect(res.body).toMatchObject({ status: 'resolved', decision: 'continue', note: null, acknowledgedBy: null, version: 2 });
      expect(await stored(alerts.BURDEN_GROWTH.id)).toMatchObject({ reference_date: '2025-04-12' });
    });

    it('a resolved LAB_ABNORMAL takes the latest lab result as its reference, not the latest visit', async () => {
      const patientId = await createPatient(t, clinic.staff);
      const first = await visit(clinic.staff, patientId, {
        visitDate: '2025-03-01',
        newDeposits: [newDepositInput()],
        labs: { calcium: { value: 11.6, unit: 'mg/dL' }, albumin: { value: 4, unit: 'g/dL' } },
      });
      const lab = (first.body.alerts as AlertBody[]).find((a) => a.rule === 'LAB_ABNORMAL');
      expect(lab).toMatchObject({ depositId: null });
      await visit(clinic.staff, patientId, { visitDate: '2025-06-01', evaluations: [{ depositId: first.body.newDepositIds[0], method: 'caliper', longestDiameterMm: 8 }] });
      await resolve(lab!.id, { decision: 'dismiss', note: 'known hyperparathyroidism, followed by endocrinology' }).expect(200);
      expect(await stored(lab!.id)).toMatchObject({ decision: 'dismiss', reference_date: '2025-03-01' });
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['dismiss without a note', { decision: 'dismiss' }, 'note'],
      ['dismiss with a null note', { decision: 'dismiss', note: null }, 'note'],
      ['a blank note', { decision: 'dismiss', note: '   ' }, 'note'],
      ['a note over 4000 characters', { decision: 'continue', note: 'x'.repeat(4001) }, 'note'],
      ['a note that is not text', { decision: 'continue', note: 42 }, 'note'],
      ['an unknown decision', { decision: 'ignore' }, 'decision'],
      ['no decision', { note: 'looks fine' }, 'decision'],
      ['an unknown field', { decision: 'continue', status: 'resolved' }, 'status'],
    ])('refuses %s with a 400 naming the field, and changes nothing', async (_story, body, field) => {
      const { alerts } = await raiseAlerts(clinic);
      const res = await resolve(alerts.NEW_DEPOSIT.id, body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(errorFields(res.body)).toContain(field);
      expect(await stored(alerts.NEW_DEPOSIT.id)).toMatchObject({ status: 'open', version: 1 });
    });

    it('only a physician resolves', async () => {
      const { alerts } = await raiseAlerts(clinic);
      for (const who of [clinic.staff, clinic.admin]) await resolve(alerts.NEW_DEPOSIT.id, { decision: 'continue' }, who).expect(403);
      expect(await stored(alerts.NEW_DEPOSIT.id)).toMatchObject({ status: 'open', version: 1 });
    });

    it('resolving with a stale If-Match is a 412 and changes nothing', async () => {
      const { alerts } = await raiseAlerts(clinic);
      const id = alerts.NEW_DEPOSIT.id;
      await acknowledge(id).expect(200);
      const res = await resolve(id, { decision: 'continue' }, clinic.physician, '"1"').expect(412);
      expect(res.body.statusCode).toBe(412);
      expect(await stored(id)).toMatchObject({ status: 'acknowledged', version: 2, decision: null });
    });

    it('resolving twice is a 409, and so is acknowledging a resolved alert', async () => {
      const { alerts } = await raiseAlerts(clinic);
      const id = alerts.NEW_DEPOSIT.id;
      await resolve(id, { decision: 'continue' }).expect(200);
      const before = await stored(id);
      const twice = await resolve(id, { decision: 'escalate' }).expect(409);
      expect(twice.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      await acknowledge(id).expect(409);
      expect(await stored(id)).toEqual(before);
    });

    it('two concurrent resolves with the same If-Match: exactly one wins, the other is a 412', async () => {
      const { alerts } = await raiseAlerts(clinic);
      const id = alerts.COMPLICATION.id;
      const results = await Promise.all([
        resolve(id, { decision: 'escalate' }, clinic.physician, '"1"'),
        resolve(id, { decision: 'dismiss', note: 'superficial, already healing' }, clinic.physician, '"1"'),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
      const winner = results.find((r) => r.status === 200)!;
      expect(await stored(id)).toMatchObject({ status: 'resolved', version: 2, decision: winner.body.decision });
    });

    it('two concurrent resolves without If-Match: one wins, the other finds it already resolved (409)', async () => {
      const { alerts } = await raiseAlerts(clinic);
      const id = alerts.NEW_DEPOSIT.id;
      const results = await Promise.all([resolve(id, { decision: 'escalate' }), resolve(id, { decision: 'continue' })]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(await stored(id)).toMatchObject({ status: 'resolved', version: 2 });
    });

    it('a resolve waits for a visit of the patient still in flight, and takes its date as the reference', async () => {
      const { patientId, fingerId, alerts } = await raiseAlerts(clinic);
      // a visit in flight: it holds the patient's row lock, as POST /visits does, and has stored an evaluation
      const inFlight = t.db.createQueryRunner();
      await inFlight.connect();
      try {
        await inFlight.startTransaction();
        await inFlight.query('SELECT 1 FROM patients WHERE id = $1 FOR UPDATE', [patientId]);
        const [v] = await inFlight.query(`INSERT INTO visits (clinic_id, patient_id, visit_date, created_by) VALUES ($1, $2, '2025-08-01', $3) RETURNING id`, [
          clinic.clinicId,
          patientId,
          clinic.staff.id,
        ]);
        await inFlight.query(
          `INSERT INTO evaluations (clinic_id, patient_id, deposit_id, visit_id, visit_date, method, longest_diameter_mm, recorded_by)
           VALUES ($1, $2, $3, $4, '2025-08-01', 'caliper', 10, $5)`,
          [clinic.clinicId, patientId, fingerId, v.id, clinic.staff.id],
        );

        // supertest sends on .then: start the request now, await it later
        const resolving = resolve(alerts.COMPLICATION.id, { decision: 'continue' }).then((r) => r);
        // wait until the resolve is blocked on the patient's lock (polling, bounded)
        let waiting = false;
        for (let i = 0; i < 2000 && !waiting; i += 1) {
          const rows: unknown[] = await t.db.query(
            `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'SELECT 1 FROM patients WHERE clinic_id = $1 AND id = $2 FOR SHARE%'`,
          );
          waiting = rows.length > 0;
        }
        expect(waiting).toBe(true);
        await inFlight.commitTransaction();

        const res = await resolving;
        expect(res.status).toBe(200);
        expect(await stored(alerts.COMPLICATION.id)).toMatchObject({ status: 'resolved', reference_date: '2025-08-01' });
      } finally {
        if (inFlight.isTransactionActive) await inFlight.rollbackTransaction();
        await inFlight.release();
      }
    });

    it("another clinic's alert, a missing one and a malformed id are all 404", async () => {
      const { alerts } = await raiseAlerts(other);
      const foreign = alerts.NEW_DEPOSIT.id;
      for (const id of [foreign, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
        expect((await get(id).expect(404)).body).toMatchObject({ statusCode: 404, message: 'alert not found' });
        await acknowledge(id).expect(404);
        await resolve(id, { decision: 'continue' }).expect(404);
      }
      const [row] = await t.db.query('SELECT status, version FROM alerts WHERE id = $1', [foreign]);
      expect(row).toEqual({ status: 'open', version: 1 });
    });
  });
});
