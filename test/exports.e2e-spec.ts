import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { get as httpGet, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { EXPORT_COLUMN_NAMES } from '../src/exports/evaluation-export.columns';
import { EXPORT_APPLICATION_NAME, EXPORT_QUERY_TAG, evaluationExportQuery } from '../src/exports/evaluation-export.query';
import { exportSessionSql } from '../src/exports/export-connection';
import { EvaluationExportService, poolOf } from '../src/exports/evaluation-export.service';
import { createClinic, createPatient, errorFields, newDepositInput, type TestClinic, type TestUser } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { parseCsv } from '../src/common/csv/parse-csv';

const EXPORT = '/api/v1/exports/evaluations';
// few patients (others' plans over patients stay as they were), many visits
const SEEDED = { patients: 10, depositsPerPatient: 10, visitsPerPatient: 1000 };
const SEEDED_EVALUATIONS = SEEDED.patients * SEEDED.depositsPerPatient * SEEDED.visitsPerPatient; // 100,000
const SEEDED_NOTE = '=SUM(A1), "quoted" note';

/**
 * A large clinic, seeded in SQL: patients × deposits × visits, every deposit evaluated at every
 * visit. Every tenth evaluation carries a note that needs quoting and formula neutralisation.
 */
async function seedLargeClinic(t: TestApp, clinic: TestClinic, mrnPrefix: string): Promise<void> {
  const params = [clinic.clinicId, clinic.admin.id];
  await t.db.query(
    `INSERT INTO patients (clinic_id, mrn, name, birth_date, sex)
     SELECT $1, $2 || lpad(g::text, 5, '0'), 'Seeded patient', date '1950-01-01' + g, 'female'
       FROM generate_series(1, $3::int) g`,
    [clinic.clinicId, mrnPrefix, SEEDED.patients],
  );
  await t.db.query(
    `INSERT INTO deposits (clinic_id, patient_id, label, site, laterality, depth, detected_by, noted_on)
     SELECT p.clinic_id, p.id, 'Deposit ' || d, 'finger', 'right', 'subcutaneous', 'caliper', date '2015-01-01'
       FROM patients p CROSS JOIN generate_series(1, $2::int) d WHERE p.clinic_id = $1`,
    [clinic.clinicId, SEEDED.depositsPerPatient],
  );
  await t.db.query(
    `INSERT INTO visits (clinic_id, patient_id, visit_date, created_by)
     SELECT p.clinic_id, p.id, date '2015-01-05' + v, $2
       FROM patients p CROSS JOIN generate_series(0, $3::int - 1) v WHERE p.clinic_id = $1`,
    [...params, SEEDED.visitsPerPatient],
  );
  await t.db.query(
    `INSERT INTO evaluations (clinic_id, patient_id, deposit_id, visit_id, visit_date, method, longest_diameter_mm,
                              perpendicular_diameter_mm, depth_mm, landmark, x_mm, y_mm, pain_score, notes, recorded_by)
     SELECT v.clinic_id, v.patient_id, d.id, v.id, v.visit_date, 'caliper', 5 + (n % 200) / 10.0, 4, 2,
            'distal crease', -3.5, 12, n % 11, CASE WHEN n % 10 = 0 THEN $3 END, $2
       FROM (SELECT v.*, row_number() OVER () AS n FROM visits v WHERE v.clinic_id = $1) v
       JOIN deposits d ON d.clinic_id = v.clinic_id AND d.patient_id = v.patient_id`,
    [...params, SEEDED_NOTE],
  );
  // statistics for the plan check; patients are left alone (ten rows change nothing)
  await t.db.query('ANALYZE deposits, visits, evaluations');
}

/** One CSV record (no line break inside), read by the shared strict RFC 4180 reader. */
function csvCells(line: string): string[] {
  return parseCsv(line)[0] ?? [''];
}

/** Polls a condition every 20 ms until it holds; fails with `what` after `timeoutMs`. */
async function waitFor(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the streamed clinic-wide evaluation export', () => {
  let t: TestApp;
  let port: number;
  let pool: Pool;
  let exportsService: EvaluationExportService;
  let large: TestClinic;
  let small: TestClinic;
  let largeMrnPrefix: string;
  const smallMrns: string[] = [];
  let amendedEvaluationId: string;

  /** A GET on the real listening server, answered as a stream (supertest would buffer it). */
  function open(path: string, user?: TestUser): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = httpGet({ host: '127.0.0.1', port, path, agent: false, headers: user ? user.auth : {} }, resolve);
      req.on('error', reject);
    });
  }

  function firstChunk(res: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      res.once('data', (chunk: string) => {
        res.pause();
        resolve(chunk);
      });
      res.once('error', reject);
    });
  }

  function rest(res: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      let body = '';
      res.on('data', (chunk: string) => (body += chunk));
      res.once('end', () => resolve(body));
      res.once('error', reject);
      res.resume();
    });
  }

  async function download(path: string, user: TestUser): Promise<{ res: IncomingMessage; body: string }> {
    const res = await open(path, user);
    res.setEncoding('utf8');
    return { res, body: await rest(res) };
  }

  /** Backends running (or holding a transaction for) an export, seen from another session. */
  async function exportBackends(): Promise<{ pid: number; state: string }[]> {
    return t.db.query(
      `SELECT pid, state FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'
          AND (application_name = $1 OR query LIKE $2)`,
      [EXPORT_APPLICATION_NAME, `%${EXPORT_QUERY_TAG}%`],
    );
  }

  /** Nothing checked out of the app's pool, nobody waiting, no export running. */
  async function poolAtRest(): Promise<boolean> {
    return pool.idleCount === pool.totalCount && pool.waitingCount === 0 && exportsService.stats().active === 0 && (await exportBackends()).length === 0;
  }

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    pool = poolOf(t.app.get<DataSource>(getDataSourceToken()));
    exportsService = t.app.get(EvaluationExportService);

    large = await createClinic(t, 'Large export clinic');
    largeMrnPrefix = `L-${large.clinicId.slice(0, 8)}-`;
    await seedLargeClinic(t, large, largeMrnPrefix);

    // A small clinic built through the API: two patients, three visits, one amendment.
    small = await createClinic(t, 'Small export clinic');
    for (const label of ['=cmd|calc', 'L olecranon']) {
      const mrn = `S-${small.clinicId.slice(0, 8)}-${smallMrns.length + 1}`;
      smallMrns.push(mrn);
      const patientId = await createPatient(t, small.staff, { mrn });
      const first = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(small.staff.auth)
        .send({ visitDate: '2024-01-10', newDeposits: [newDepositInput({ label }, { longestDiameterMm: 10, perpendicularDiameterMm: 4, painScore: 2, notes: 'line one\nline two' })] })
        .expect(201);
      const depositId = first.body.newDepositIds[0] as string;
      for (const visitDate of ['2024-02-10', '2024-03-10']) {
        const visit = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(small.staff.auth)
          .send({ visitDate, evaluations: [{ depositId, method: 'ultrasound', longestDiameterMm: 11, ulcerated: visitDate === '2024-03-10' }] })
          .expect(201);
        amendedEvaluationId = visit.body.evaluations[0].id as string;
      }
    }
    await t.http().post(`/api/v1/evaluations/${amendedEvaluationId}/amendments`).set(small.staff.auth).send({ longestDiameterMm: 12, reason: 're-measured' }).expect(201);
  }, 120_000);

  afterAll(async () => {
    await exportsService?.settled();
    await t?.close();
  });

  it('streams 100,000 evaluations: the header leaves before the last row is read, and the rows follow as the client reads', async () => {
    const before = exportsService.stats();
    const res = await open(EXPORT, large.physician);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="evaluations-\d{4}-\d{2}-\d{2}\.csv"$/);
    res.setEncoding('utf8');

    const first = await firstChunk(res);
    const rowsAtFirstChunk = exportsService.stats().rowsRead - before.rowsRead;
    expect(first.startsWith(`\uFEFF${EXPORT_COLUMN_NAMES.join(',')}\r\n`)).toBe(true);
    expect(rowsAtFirstChunk).toBeLessThan(SEEDED_EVALUATIONS);
    expect(res.complete).toBe(false);

    // The client reads nothing more: the server must stop fetching once the buffers are full.
    let last = -1;
    await waitFor('the export to stop fetching while the client does not read', async () => {
      const now = exportsService.stats().rowsRead;
      const stable = now === last;
      last = now;
      if (!stable) await new Promise((resolve) => setTimeout(resolve, 200));
      return stable;
    }, 10_000);
    const rowsWhilePaused = exportsService.stats().rowsRead - before.rowsRead;
    expect(rowsWhilePaused).toBeLessThan(SEEDED_EVALUATIONS / 2);
    expect(exportsService.stats().active).toBe(1);

    const body = first + (await rest(res));
    expect(res.complete).toBe(true);
    expect(first.length).toBeLessThan(body.length / 10);

    const lines = body.slice(1).split('\r\n');
    expect(lines.pop()).toBe(''); // the last record ends with CRLF too
    expect(lines).toHaveLength(1 + SEEDED_EVALUATIONS);
    const [header, ...records] = lines.map(csvCells);
    expect(header).toEqual(EXPORT_COLUMN_NAMES);
    const col = (name: string) => EXPORT_COLUMN_NAMES.indexOf(name);
    const ids = new Set<string>();
    let previous: string[] | null = null;
    let badWidth = 0;
    let foreign = 0;
    let outOfOrder = 0;
    let notes = 0;
    for (const cells of records) {
      if (cells.length !== EXPORT_COLUMN_NAMES.length) badWidth++;
      if (!cells[col('mrn')].startsWith(largeMrnPrefix)) foreign++;
      if (previous && previous[col('depositId')] === cells[col('depositId')] && previous[col('visitDate')] > cells[col('visitDate')]) outOfOrder++;
      if (cells[col('notes')] !== '') {
        notes++;
        expect(cells[col('notes')]).toBe(`'${SEEDED_NOTE}`);
      }
      ids.add(cells[col('evaluationId')]);
      previous = cells;
    }
    expect({ badWidth, foreign, outOfOrder }).toEqual({ badWidth: 0, foreign: 0, outOfOrder: 0 });
    expect(ids.size).toBe(SEEDED_EVALUATIONS);
    expect(notes).toBe(SEEDED_EVALUATIONS / 10);
    expect(exportsService.stats().rowsRead - before.rowsRead).toBe(SEEDED_EVALUATIONS);
    await waitFor('the connection to go back to the pool', poolAtRest);
    expect(exportsService.stats().completed).toBe(before.completed + 1);
  }, 60_000);

  it('an aborted download stops its query and gives its connection back to the pool', async () => {
    await waitFor('a pool at rest before the download', poolAtRest);
    const before = exportsService.stats();
    const res = await open(EXPORT, large.admin);
    expect(res.statusCode).toBe(200);
    await firstChunk(res);
    expect(await exportBackends()).toHaveLength(1);
    expect(pool.totalCount - pool.idleCount).toBeGreaterThanOrEqual(1);

    res.socket.destroy();
    await waitFor('no export backend, and every pool connection idle', poolAtRest);
    expect(exportsService.stats()).toMatchObject({ aborted: before.aborted + 1, failed: before.failed, active: 0 });
    expect(exportsService.stats().rowsRead - before.rowsRead).toBeLessThan(SEEDED_EVALUATIONS);

    // the connection went back healthy: the next export runs on the same pool
    const { res: again, body } = await download(`${EXPORT}?format=ndjson`, small.physician);
    expect(again.statusCode).toBe(200);
    expect(body.trim().split('\n')).toHaveLength(6);
  });

  it('a database failure mid-stream cuts the download short and discards the broken connection', async () => {
    await waitFor('a pool at rest before the download', poolAtRest);
    const before = exportsService.stats();
    const res = await open(EXPORT, large.physician);
    res.setEncoding('utf8');
    await firstChunk(res);
    const [backend] = await exportBackends();
    expect(backend).toBeDefined();

    const ended = new Promise<boolean>((resolve) => res.once('close', () => resolve(res.complete)));
    res.on('error', () => undefined); // a reset connection is what this test expects
    await t.db.query('SELECT pg_terminate_backend($1)', [backend.pid]);
    res.on('data', () => undefined);
    res.resume();
    expect(await ended).toBe(false);

    await waitFor('the broken connection to be discarded and the pool at rest', poolAtRest);
    expect(exportsService.stats()).toMatchObject({ failed: before.failed + 1, active: 0 });
    const { res: again } = await download(EXPORT, small.admin);
    expect(again.statusCode).toBe(200);
    expect(again.complete).toBe(true);
  });

  it('NDJSON: one camelCase object per line, the current version of each evaluation, only the caller\'s clinic', async () => {
    const { res, body } = await download(`${EXPORT}?format=ndjson`, small.admin);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="evaluations-\d{4}-\d{2}-\d{2}\.ndjson"$/);
    const lines = body.split('\n');
    expect(lines.pop()).toBe('');
    const rows = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(Object.keys(row)).toEqual(EXPORT_COLUMN_NAMES);
    expect(new Set(rows.map((r) => r.mrn))).toEqual(new Set(smallMrns));
    expect(rows.find((r) => r.evaluationId === amendedEvaluationId)).toMatchObject({ version: 2, longestDiameterMm: 12, visitDate: '2024-03-10', method: 'ultrasound', ulcerated: true });
    expect(rows.find((r) => r.visitDate === '2024-01-10' && r.depositLabel === '=cmd|calc')).toMatchObject({
      site: 'finger', laterality: 'right', longestDiameterMm: 10, perpendicularDiameterMm: 4, areaMm2: 31.42, volumeMm3: null, painScore: 2, notes: 'line one\nline two', drainage: 'none', version: 1,
    });
    for (const row of rows) expect(row.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('CSV from the API-built clinic: formula-like cells neutralised, line breaks kept inside quotes', async () => {
    const { res, body } = await download(EXPORT, small.physician);
    expect(res.statusCode).toBe(200);
    expect(body.startsWith('\uFEFF')).toBe(true);
    // records end with CRLF; a line break inside a note is a bare LF inside quotes
    const records = body.slice(1).split('\r\n').filter(Boolean).map(csvCells);
    expect(records).toHaveLength(1 + 6);
    const col = (name: string) => EXPORT_COLUMN_NAMES.indexOf(name);
    const labels = new Set(records.slice(1).map((cells) => cells[col('depositLabel')]));
    expect(labels).toEqual(new Set(["'=cmd|calc", 'L olecranon']));
    expect(records.slice(1).filter((cells) => cells[col('notes')] === 'line one\nline two')).toHaveLength(2);
    expect(body).toContain('"line one\nline two"');
  });

  it.each([
    ['from and to together, inclusive', '?from=2024-02-10&to=2024-03-09', ['2024-02-10']],
    ['from alone', '?from=2024-02-11', ['2024-03-10']],
    ['to alone', '?to=2024-01-10', ['2024-01-10']],
    ['one day', '?from=2024-03-10&to=2024-03-10', ['2024-03-10']],
    ['a range with no visit', '?from=2023-01-01&to=2023-12-31', []],
  ])('filters by visit date: %s', async (_story, query, dates) => {
    const { res, body } = await download(`${EXPORT}${query}&format=ndjson`, small.physician);
    expect(res.statusCode).toBe(200);
    const rows = body.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { visitDate: string });
    expect(rows).toHaveLength(dates.length * smallMrns.length);
    expect([...new Set(rows.map((r) => r.visitDate))]).toEqual(dates);
  });

  it('each clinic sees only its own evaluations', async () => {
    const { body } = await download(`${EXPORT}?format=ndjson&to=2015-01-05`, large.admin);
    const mrns = body.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { mrn: string }).mrn);
    expect(mrns).toHaveLength(SEEDED.patients * SEEDED.depositsPerPatient);
    expect(mrns.every((mrn) => mrn.startsWith(largeMrnPrefix))).toBe(true);
    const small_ = await download(`${EXPORT}?format=ndjson`, small.admin);
    expect(small_.body).not.toContain(largeMrnPrefix);
  });

  it('is refused to staff (403) and to anonymous callers (401)', async () => {
    const staff = await t.http().get(EXPORT).set(small.staff.auth).expect(403);
    expect(staff.body).toMatchObject({ statusCode: 403 });
    await t.http().get(EXPORT).expect(401);
  });

  it.each([
    ['an unknown format', '?format=xml', 'format'],
    ['an empty format', '?format=', 'format'],
    ['a date that does not exist', '?from=2024-02-30', 'from'],
    ['a date in another notation', '?to=10/03/2024', 'to'],
    ['to before from', '?from=2024-03-10&to=2024-03-09', 'to'],
    ['an unknown parameter', '?clinicId=00000000-0000-0000-0000-000000000000', 'clinicId'],
  ])('answers 400 naming the field: %s', async (_story, query, field) => {
    const before = exportsService.stats().started;
    const res = await t.http().get(`${EXPORT}${query}`).set(small.admin.auth).expect(400);
    expect(errorFields(res.body)).toEqual([field]);
    expect(res.body.message).toContain(field);
    expect(exportsService.stats().started).toBe(before);
  });

  it('refuses an export beyond the concurrent limit with 429, and serves it once one ends', async () => {
    await waitFor('a pool at rest', poolAtRest);
    const running: IncomingMessage[] = [];
    for (;;) {
      const res = await open(EXPORT, large.physician);
      if (res.statusCode !== 200) {
        expect(res.statusCode).toBe(429);
        expect(res.headers['retry-after']).toBe('30');
        res.resume();
        break;
      }
      await firstChunk(res);
      running.push(res);
      expect(running.length).toBeLessThanOrEqual(pool.options.max ?? 10);
    }
    expect(running.length).toBeGreaterThanOrEqual(1);
    expect(pool.totalCount - pool.idleCount).toBe(running.length);
    for (const res of running) res.socket.destroy();
    await waitFor('every export connection back in the pool', poolAtRest);
    const { res } = await download(`${EXPORT}?format=ndjson`, small.admin);
    expect(res.statusCode).toBe(200);
  });

  it('reads the rows off the deposit index in order: no sort stands between the first row and the last', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const session = exportSessionSql({ clinicId: large.clinicId, statementTimeout: '1min', applicationName: 'export-plan-check' });
      await client.query(session.text, session.values);
      for (const filter of [{}, { from: '2016-01-01', to: '2016-12-31' }]) {
        const { text, values } = evaluationExportQuery({ clinicId: large.clinicId, ...filter });
        const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${text}`, values);
        const nodes: string[] = [];
        const walk = (node: { 'Node Type': string; 'Index Name'?: string; Plans?: unknown[] }) => {
          nodes.push(`${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : ''}`);
          for (const child of node.Plans ?? []) walk(child as typeof node);
        };
        walk(rows[0]['QUERY PLAN'][0].Plan);
        expect({ filter, sorts: nodes.filter((n) => /Sort/.test(n)) }).toEqual({ filter, sorts: [] });
        expect(nodes).toContain('Index Scan evaluations_deposit_idx');
      }
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('shutting the service down cuts an export in progress instead of waiting for it', async () => {
    const other = await createTestApp();
    await other.app.listen(0, '127.0.0.1');
    const otherPort = (other.app.getHttpServer().address() as AddressInfo).port;
    const otherExports = other.app.get(EvaluationExportService);
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      httpGet({ host: '127.0.0.1', port: otherPort, path: EXPORT, agent: false, headers: large.physician.auth }, resolve).on('error', reject);
    });
    expect(res.statusCode).toBe(200);
    await firstChunk(res);
    const ended = new Promise<boolean>((resolve) => res.once('close', () => resolve(res.complete)));
    res.on('error', () => undefined);
    res.resume();

    await other.close();
    expect(await ended).toBe(false);
    expect(otherExports.stats()).toMatchObject({ active: 0, aborted: 1 });
  });

  it('is documented: parameters, both media types and a binary schema', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const op = doc.paths[EXPORT].get;
    expect(op.summary).toBeTruthy();
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['format', 'from', 'to']);
    expect(Object.keys(op.responses['200'].content).sort()).toEqual(['application/x-ndjson', 'text/csv']);
    expect(op.responses['200'].content['text/csv'].schema).toEqual({ type: 'string', format: 'binary' });
    expect(op.responses['200'].description).toContain('longestDiameterMm');
  });
});
