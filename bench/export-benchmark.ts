/**
 * B6's clinic export against COPY (also runnable alone: `npm run bench:export`).
 *
 * The HTTP export (GET /api/v1/exports/evaluations as CSV, from the real service in its own
 * process) and the same SELECT through `COPY (…) TO STDOUT WITH (FORMAT csv)` with pg-copy-streams,
 * in the same transaction settings as the export (REPEATABLE READ, READ ONLY, exportSessionSql: the
 * clinic for row-level security, no sort), so both read the rows by the same plan. They alternate:
 * one warm-up of each first, then the median of `runs` runs. The server's peak RSS is read from
 * /proc (VmHWM, reset before each export).
 *
 * Alone, it seeds a throwaway database (bundled PostgreSQL, or a fresh database on DATABASE_URL)
 * with one clinic of 1,000,000 evaluations (1,000 patients × 10 deposits × 100 visits).
 * Environment: DATABASE_URL (optional), BENCH_VISITS (visits per patient, default 100 → 1M rows),
 * BENCH_RUNS (default 3).
 */
import { writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { createDataSource } from '../src/database/data-source';
import { migrate } from '../src/database/database-runtime';
import { evaluationExportQuery } from '../src/exports/evaluation-export.query';
import { exportSessionSql } from '../src/exports/export-connection';
import { benchDatabase } from './lib/database';
import { loginAll } from './lib/http';
import { seedExportClinic } from './lib/seed';
import { memoryOf, newJwtSecret, startService } from './lib/service';

export const EXPORT_TARGETS = { ratio: 0.5, peakRssMb: 250, firstByteMs: 1000 };

interface Run {
  rows: number;
  bytes: number;
  ms: number;
  firstByteMs: number;
  firstRowMs: number;
  peakRssMb?: number;
}

export interface ExportSummary {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  firstByteMs: number;
  firstRowMs: number;
  mb: number;
}

export interface ExportFigures {
  export: ExportSummary;
  copy: ExportSummary;
  ratio: number;
  peakRssMb: number;
  rssBeforeMb: number;
  runs: number;
}

const log = (line: string) => console.log(line);

function countNewlines(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
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
  const baseline = memoryOf(pid).rssMb;
  const reset = resetPeak(pid);
  let sampled = baseline;
  const sampler = setInterval(() => (sampled = Math.max(sampled, memoryOf(pid).rssMb)), 50);
  try {
    const t0 = performance.now();
    const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      httpGet({ host: '127.0.0.1', port, path: '/api/v1/exports/evaluations?format=csv', agent: false, headers: { authorization: `Bearer ${token}` } }, resolve).on('error', reject);
    });
    if (res.statusCode !== 200) throw new Error(`export answered ${res.statusCode}`);
    const run = await consume(res, t0, 1);
    const peak = reset ? Math.max(memoryOf(pid).hwmMb, sampled) : sampled;
    return { ...run, peakRssMb: peak };
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

function summary(runs: Run[]): ExportSummary {
  return {
    rows: runs[0].rows,
    seconds: median(runs.map((r) => r.ms)) / 1000,
    rowsPerSecond: median(runs.map((r) => r.rows / (r.ms / 1000))),
    firstByteMs: median(runs.map((r) => r.firstByteMs)),
    firstRowMs: median(runs.map((r) => r.firstRowMs)),
    mb: median(runs.map((r) => r.bytes / 1048576)),
  };
}

/** Alternating export and COPY runs (one warm-up each, then `runs` measured), every run checked for its row count. */
export async function measureExport(options: { port: number; pid: number; token: string; url: string; clinicId: string; expectedRows: number; runs: number }): Promise<ExportFigures> {
  const rssBeforeMb = memoryOf(options.pid).rssMb;
  const exports: Run[] = [];
  const copies: Run[] = [];
  for (let i = 0; i <= options.runs; i++) {
    const e = await runExport(options.port, options.token, options.pid);
    const c = await runCopy(options.url, options.clinicId);
    for (const [what, run] of [['export', e], ['COPY', c]] as const) {
      if (run.rows !== options.expectedRows) throw new Error(`${what} returned ${run.rows} rows, expected ${options.expectedRows}`);
    }
    const label = i === 0 ? 'warm-up' : `run ${i}`;
    log(
      `  ${label.padEnd(8)} export ${fmt(e.ms / 1000, 2)} s (first byte ${fmt(e.firstByteMs, 1)} ms, peak RSS ${fmt(e.peakRssMb!)} MB)` +
        ` | COPY ${fmt(c.ms / 1000, 2)} s (first byte ${fmt(c.firstByteMs, 1)} ms)`,
    );
    if (i > 0) {
      exports.push(e);
      copies.push(c);
    }
  }
  const ex = summary(exports);
  const cp = summary(copies);
  return { export: ex, copy: cp, ratio: ex.rowsPerSecond / cp.rowsPerSecond, peakRssMb: Math.max(...exports.map((r) => r.peakRssMb!)), rssBeforeMb, runs: options.runs };
}

async function main(): Promise<void> {
  const visits = Number(process.env.BENCH_VISITS ?? 100);
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  log(`export benchmark: ${fmt(1000 * 10 * visits)} evaluations, ${runs} measured runs of each (median), Node ${process.version}`);
  const db = await benchDatabase();
  let service: Awaited<ReturnType<typeof startService>> | null = null;
  try {
    await migrate(db.url);
    let t = performance.now();
    const ds = createDataSource({ url: db.url, poolSize: 2, bypassRowLevelSecurity: true, statementTimeoutMs: 3_600_000 });
    await ds.initialize();
    const password = 'bench-export-password';
    const clinic = await seedExportClinic(ds, password, 1000, visits);
    await ds.query('VACUUM ANALYZE patients, deposits, visits, evaluations');
    await ds.destroy();
    log(`seeded in ${fmt((performance.now() - t) / 1000, 1)} s`);
    t = performance.now();
    service = await startService({ databaseUrl: db.url, jwtSecret: newJwtSecret(), workDir: db.workDir, logFile: join(db.workDir, 'service.log') });
    log(`service (pid ${service.pid}) listening in ${fmt((performance.now() - t) / 1000, 1)} s, RSS ${fmt(memoryOf(service.pid).rssMb)} MB`);
    const [session] = await loginAll(service.port, [clinic.email], password);
    const f = await measureExport({ port: service.port, pid: service.pid, token: session.accessToken, url: db.url, clinicId: clinic.clinicId, expectedRows: clinic.rows, runs });
    const rows = [
      ['', 'rows', 'MB', 'seconds', 'rows/s', 'first byte', 'first row', 'server peak RSS'],
      ['HTTP export (CSV)', fmt(f.export.rows), fmt(f.export.mb), fmt(f.export.seconds, 2), fmt(f.export.rowsPerSecond), `${fmt(f.export.firstByteMs, 1)} ms`, `${fmt(f.export.firstRowMs, 1)} ms`, `${fmt(f.peakRssMb)} MB (${fmt(f.rssBeforeMb)} MB before the first export)`],
      ['COPY TO STDOUT (csv)', fmt(f.copy.rows), fmt(f.copy.mb), fmt(f.copy.seconds, 2), fmt(f.copy.rowsPerSecond), `${fmt(f.copy.firstByteMs, 1)} ms`, `${fmt(f.copy.firstRowMs, 1)} ms`, '—'],
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    log('');
    for (const r of rows) log(`| ${r.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`);
    log('');
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    log(`export / COPY rows/s: ${fmt(f.ratio, 2)}× (target ≥ ${EXPORT_TARGETS.ratio}×: ${verdict(f.ratio >= EXPORT_TARGETS.ratio)})`);
    log(`server peak RSS: ${fmt(f.peakRssMb)} MB (target < ${EXPORT_TARGETS.peakRssMb} MB: ${verdict(f.peakRssMb < EXPORT_TARGETS.peakRssMb)})`);
    log(`first byte: ${fmt(f.export.firstByteMs, 1)} ms (target < ${EXPORT_TARGETS.firstByteMs} ms: ${verdict(f.export.firstByteMs < EXPORT_TARGETS.firstByteMs)})`);
  } finally {
    await service?.stop();
    await db.cleanup();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
