/**
 * Benchmark of the streamed clinic-wide evaluation export (not a test): `npm run bench:export`.
 *
 * 1. A throwaway database: a fresh bundled PostgreSQL in a temporary folder, or, with DATABASE_URL,
 *    a fresh database on that server (dropped at the end).
 * 2. One clinic with 1,000,000 evaluations (1,000 patients × 10 deposits × 100 visits), seeded in SQL.
 * 3. The real application in a child process (so its memory is its own), logged in over HTTP.
 * 4. Alternating runs of (a) GET /api/v1/exports/evaluations as CSV over HTTP and (b) the same
 *    SELECT through `COPY (…) TO STDOUT WITH (FORMAT csv)` with pg-copy-streams, in the same
 *    transaction settings as the export (REPEATABLE READ, READ ONLY, exportSessionSql: the clinic for
 *    row-level security, no sort), so both read the rows by the same plan.
 *    One warm-up of each first; the table reports the median of BENCH_RUNS runs (default 3).
 *
 * Environment: DATABASE_URL (optional), BENCH_VISITS (visits per patient, default 100 → 1M rows),
 * BENCH_RUNS (default 3).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { provisionClinic } from '../src/clinics/clinic-provisioning';
import { BundledPostgres } from '../src/database/bundled-postgres';
import { createDataSource } from '../src/database/data-source';
import { migrate } from '../src/database/database-runtime';
import { evaluationExportQuery } from '../src/exports/evaluation-export.query';
import { exportSessionSql } from '../src/exports/export-connection';

const SHAPE = { patients: 1000, depositsPerPatient: 10, visitsPerPatient: Number(process.env.BENCH_VISITS ?? 100) };
const EXPECTED_ROWS = SHAPE.patients * SHAPE.depositsPerPatient * SHAPE.visitsPerPatient;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGETS = { ratio: 0.5, peakRssMb: 250, firstByteMs: 1000 };

interface Run {
  rows: number;
  bytes: number;
  ms: number;
  firstByteMs: number;
  firstRowMs: number;
  peakRssMb?: number;
}

const log = (line: string) => console.log(line);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function throwawayDatabase(): Promise<{ url: string; cleanup: () => Promise<void> }> {
  const external = process.env.DATABASE_URL;
  if (external) {
    const name = `calcitrack_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: external });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(external);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      cleanup: async () => {
        const c = new pg.Client({ connectionString: external });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'calcitrack-bench-'));
  chmodSync(dir, 0o755); // the bundled server runs as "postgres" when we are root
  const bundled = new BundledPostgres({ dataDir: dir, port: await freePort() });
  const url = await bundled.start();
  return {
    url,
    cleanup: async () => {
      await bundled.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One clinic, its admin, and patients × deposits × visits evaluations, every deposit at every visit. */
async function seed(url: string): Promise<{ clinicId: string; email: string; password: string }> {
  const db = createDataSource({ url, poolSize: 2, bypassRowLevelSecurity: true, statementTimeoutMs: 3_600_000 });
  await db.initialize();
  try {
    const email = `bench-${process.pid}@bench.local`;
    const password = randomBytes(18).toString('base64url');
    const { clinicId, adminId } = await provisionClinic(db, { name: 'Benchmark clinic', adminEmail: email, adminPassword: password });
    await db.query(
      `INSERT INTO patients (clinic_id, mrn, name, birth_date, sex)
       SELECT $1, 'BENCH-' || lpad(g::text, 6, '0'), 'Benchmark patient', date '1950-01-01' + g, 'female'
         FROM generate_series(1, $2::int) g`,
      [clinicId, SHAPE.patients],
    );
    await db.query(
      `INSERT INTO deposits (clinic_id, patient_id, label, site, laterality, depth, detected_by, noted_on)
       SELECT p.clinic_id, p.id, 'Deposit ' || d, (array['finger','hand','elbow','knee','hip'])[1 + d % 5], 'right', 'subcutaneous', 'caliper', date '2015-01-01'
         FROM patients p CROSS JOIN generate_series(1, $2::int) d WHERE p.clinic_id = $1`,
      [clinicId, SHAPE.depositsPerPatient],
    );
    await db.query(
      `INSERT INTO visits (clinic_id, patient_id, visit_date, created_by)
       SELECT p.clinic_id, p.id, date '2015-01-05' + v * 14, $2
         FROM patients p CROSS JOIN generate_series(0, $3::int - 1) v WHERE p.clinic_id = $1`,
      [clinicId, adminId, SHAPE.visitsPerPatient],
    );
    await db.query(
      `INSERT INTO evaluations (clinic_id, patient_id, deposit_id, visit_id, visit_date, method, longest_diameter_mm,
                                perpendicular_diameter_mm, depth_mm, shape, margin, landmark, x_mm, y_mm, mobility,
                                pain_score, notes, recorded_by)
       SELECT v.clinic_id, v.patient_id, d.id, v.id, v.visit_date, 'caliper', 5 + (n % 200) / 10.0, 3 + (n % 97) / 10.0, 2.5,
              'oval', 'well-defined', 'distal crease', -3.5, 12, 'fixed', n % 11,
              CASE WHEN n % 10 = 0 THEN '=SUM(A1), "quoted" note' END, $2
         FROM (SELECT v.*, row_number() OVER () AS n FROM visits v WHERE v.clinic_id = $1) v
         JOIN deposits d ON d.clinic_id = v.clinic_id AND d.patient_id = v.patient_id`,
      [clinicId, adminId],
    );
    await db.query('VACUUM ANALYZE patients, deposits, visits, evaluations');
    return { clinicId, email, password };
  } finally {
    await db.destroy();
  }
}

async function startServer(url: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [join(__dirname, 'export-server.js')], {
    env: { ...process.env, DATABASE_URL: url, JWT_SECRET: randomBytes(48).toString('base64url') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`the server exited with code ${code} before listening`)));
  });
  return { child, port };
}

function login(port: number, email: string, password: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ email, password });
    const req = httpRequest(
      { host: '127.0.0.1', port, path: '/api/v1/auth/login', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => (res.statusCode === 200 ? resolve((JSON.parse(text) as { accessToken: string }).accessToken) : reject(new Error(`login: ${res.statusCode} ${text}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function countNewlines(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

/** Resident memory of a process, in kB: now (VmRSS) and its peak (VmHWM). */
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Resets VmHWM to the current RSS (Linux 4.0+), so the peak is this run's. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Counts rows as they arrive; the first newline ends the header, the second the first row. */
function consume(stream: NodeJS.ReadableStream, t0: number, headerLines: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let newlines = 0;
    let firstByteMs = -1;
    let firstRowMs = -1;
    stream.on('data', (chunk: Buffer) => {
      const now = performance.now();
      if (firstByteMs < 0) firstByteMs = now - t0;
      bytes += chunk.length;
      newlines += countNewlines(chunk);
      if (firstRowMs < 0 && newlines > headerLines) firstRowMs = now - t0;
    });
    stream.once('end', () => resolve({ rows: newlines - headerLines, bytes, ms: performance.now() - t0, firstByteMs, firstRowMs }));
    stream.once('error', reject);
  });
}

async function runExport(port: number, token: string, pid: number): Promise<Run> {
  const baseline = memoryOf(pid).rss;
  const reset = resetPeak(pid);
  let sampled = baseline;
  const sampler = setInterval(() => (sampled = Math.max(sampled, memoryOf(pid).rss)), 50);
  try {
    const t0 = performance.now();
    const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      httpGet({ host: '127.0.0.1', port, path: '/api/v1/exports/evaluations?format=csv', agent: false, headers: { authorization: `Bearer ${token}` } }, resolve).on('error', reject);
    });
    if (res.statusCode !== 200) throw new Error(`export answered ${res.statusCode}`);
    const run = await consume(res, t0, 1);
    const peak = reset ? Math.max(memoryOf(pid).hwm, sampled) : sampled;
    return { ...run, peakRssMb: peak / 1024 };
  } finally {
    clearInterval(sampler);
  }
}

async function runCopy(url: string, clinicId: string): Promise<Run> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const session = exportSessionSql({ clinicId, statementTimeout: '1h', applicationName: 'calcitrack-bench-copy' });
    await client.query(session.text, session.values);
    const { text, values } = evaluationExportQuery({ clinicId });
    const select = text.replace('$1', `'${values[0] as string}'::uuid`);
    const t0 = performance.now();
    const run = await consume(client.query(copyTo(`COPY (${select}) TO STDOUT WITH (FORMAT csv, HEADER)`)), t0, 1);
    await client.query('COMMIT');
    return run;
  } finally {
    await client.end();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function summary(runs: Run[]): { rows: number; seconds: number; rowsPerSecond: number; firstByteMs: number; firstRowMs: number; mb: number } {
  return {
    rows: runs[0].rows,
    seconds: median(runs.map((r) => r.ms)) / 1000,
    rowsPerSecond: median(runs.map((r) => r.rows / (r.ms / 1000))),
    firstByteMs: median(runs.map((r) => r.firstByteMs)),
    firstRowMs: median(runs.map((r) => r.firstRowMs)),
    mb: median(runs.map((r) => r.bytes / 1048576)),
  };
}

async function main(): Promise<void> {
  log(`export benchmark: ${fmt(EXPECTED_ROWS)} evaluations, ${RUNS} measured runs of each (median), Node ${process.version}`);
  const db = await throwawayDatabase();
  let server: { child: ChildProcess; port: number } | null = null;
  try {
    await migrate(db.url);
    let t = performance.now();
    const { clinicId, email, password } = await seed(db.url);
    log(`seeded in ${fmt((performance.now() - t) / 1000, 1)} s`);

    t = performance.now();
    server = await startServer(db.url);
    const pid = server.child.pid!;
    log(`server (pid ${pid}) listening in ${fmt((performance.now() - t) / 1000, 1)} s, RSS ${fmt(memoryOf(pid).rss / 1024)} MB`);
    const token = await login(server.port, email, password);
    const startedRss = memoryOf(pid).rss / 1024;

    const exports: Run[] = [];
    const copies: Run[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const e = await runExport(server.port, token, pid);
      const c = await runCopy(db.url, clinicId);
      for (const [what, run] of [['export', e], ['COPY', c]] as const) {
        if (run.rows !== EXPECTED_ROWS) throw new Error(`${what} returned ${run.rows} rows, expected ${EXPECTED_ROWS}`);
      }
      const label = i === 0 ? 'warm-up' : `run ${i}`;
      log(
        `${label.padEnd(8)} export ${fmt(e.ms / 1000, 2)} s (first byte ${fmt(e.firstByteMs, 1)} ms, first row ${fmt(e.firstRowMs, 1)} ms, peak RSS ${fmt(e.peakRssMb!)} MB)` +
          ` | COPY ${fmt(c.ms / 1000, 2)} s (first byte ${fmt(c.firstByteMs, 1)} ms)`,
      );
      if (i > 0) {
        exports.push(e);
        copies.push(c);
      }
    }

    const ex = summary(exports);
    const cp = summary(copies);
    const peakRss = Math.max(...exports.map((r) => r.peakRssMb!));
    const ratio = ex.rowsPerSecond / cp.rowsPerSecond;
    const rows = [
      ['', 'rows', 'MB', 'seconds', 'rows/s', 'first byte', 'first row', 'server peak RSS'],
      ['HTTP export (CSV)', fmt(ex.rows), fmt(ex.mb), fmt(ex.seconds, 2), fmt(ex.rowsPerSecond), `${fmt(ex.firstByteMs, 1)} ms`, `${fmt(ex.firstRowMs, 1)} ms`, `${fmt(peakRss)} MB (${fmt(startedRss)} MB before the first export)`],
      ['COPY TO STDOUT (csv)', fmt(cp.rows), fmt(cp.mb), fmt(cp.seconds, 2), fmt(cp.rowsPerSecond), `${fmt(cp.firstByteMs, 1)} ms`, `${fmt(cp.firstRowMs, 1)} ms`, '—'],
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    log('');
    for (const r of rows) log(`| ${r.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`);
    log('');
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    log(`export / COPY rows/s: ${fmt(ratio, 2)}× (target ≥ ${TARGETS.ratio}×: ${verdict(ratio >= TARGETS.ratio)})`);
    log(`server peak RSS: ${fmt(peakRss)} MB (target < ${TARGETS.peakRssMb} MB: ${verdict(peakRss < TARGETS.peakRssMb)})`);
    log(`first byte: ${fmt(ex.firstByteMs, 1)} ms (target < ${TARGETS.firstByteMs} ms: ${verdict(ex.firstByteMs < TARGETS.firstByteMs)})`);
  } finally {
    if (server) {
      const exited = new Promise((resolve) => server!.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await exited;
    }
    await db.cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
