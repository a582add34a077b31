/**
 * The benchmark suite (not a test): `npm run bench` (full), `npm run bench -- --quick` (CI: keeps it
 * working, < 3 minutes on 2 cores), `npm run bench -- --profile` (CPU profiles of the service under
 * B1 and B2, summarised). Every figure is a ratio to a baseline measured in the same run on the same
 * database server; bench/README.md explains each one.
 *
 * Environment: DATABASE_URL (optional: fresh databases on that server instead of a throwaway
 * bundled PostgreSQL), BENCH_SECONDS (seconds per load run), PGBENCH (path of pgbench).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lockOverdueReviews } from '../src/alerts/alert-writer';
import { buildInboxQuery } from '../src/alerts/alerts.service';
import { HIT } from '../src/auth/rate-limit.store';
import { createDataSource } from '../src/database/data-source';
import type { EntityManager } from 'typeorm';
import { migrate } from '../src/database/database-runtime';
import { formatSummary, summariseProfile, type ProfileSummary } from './cpuprofile-top';
import { measureExport, type ExportFigures } from './export-benchmark';
import { benchDatabase, type BenchDatabase, withClient } from './lib/database';
import { type BenchSession, call, callJson, loginAll, refreshIfOld } from './lib/http';
import { load, type LoadResult } from './lib/load';
import { machine } from './lib/machine';
import { pgbenchAvailable, pgbenchInit, pgbenchRun, type PgbenchResult } from './lib/pgbench';
import { FULL, QUICK, seed, type Seeded, type Shape } from './lib/seed';
import { memoryOf, newJwtSecret, ROOT, type Service, startService } from './lib/service';
import { readStatements, resetStatements, type StatementStat } from './lib/stat-statements';
import { replayInbox, replayVisits, VISIT_STATEMENTS } from './lib/visit-sql';
import { bySessionClinic, inboxRequests, visitBody, visitDate, visitRequests } from './lib/workloads';

const args = process.argv.slice(2);
const QUICK_MODE = args.includes('--quick');
const PROFILE_MODE = args.includes('--profile');
const SHAPE: Shape = QUICK_MODE ? QUICK : FULL;
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK_MODE ? 3 : 15));
const WARMUP_SECONDS = QUICK_MODE ? 2 : 5;
const PGBENCH_SCALE = 16; // at least the largest client count, so tpcb-like clients rarely wait on one branch row
const CONCURRENCY = [1, 4, 16];
const REPORT_RUNS = QUICK_MODE ? 3 : 10;
const EXPORT_RUNS = QUICK_MODE ? 1 : 3;
const DEEP_PAGE = 100;

const log = (line = '') => console.log(line);
const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '—');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Target {
  id: string;
  figure: string;
  value: number;
  unit: string;
  target: string;
  met: boolean | null;
  detail: string;
}

const targets: Target[] = [];
/** The service's resident memory after each phase: where it grows. */
const memoryTrail: { after: string; rssMb: number }[] = [];
let watched: number | null = null;
function figure(id: string, name: string, value: number, unit: string, target: string | null, met: boolean | null, detail: string): void {
  targets.push({ id, figure: name, value, unit, target: target ?? '—', met, detail });
}

const brief = (r: LoadResult) => `${fmt(r.perSecond, 1)}/s, p50 ${fmt(r.p50, 1)} ms, p95 ${fmt(r.p95, 1)} ms, p99 ${fmt(r.p99, 1)} ms, ${r.errors} errors`;

async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  log(`${name} …`);
  const out = await work();
  const rss = watched === null ? '' : `, service RSS ${fmt(memoryOf(watched).rssMb)} MB`;
  if (watched !== null) memoryTrail.push({ after: name, rssMb: Math.round(memoryOf(watched).rssMb) });
  log(`  done in ${fmt((performance.now() - t0) / 1000, 1)} s${rss}`);
  return out;
}

/** `explain` run as the service's role in a transaction acting for `clinicId`; the plan's lines joined. */
async function explainAsClinic(url: string, clinicId: string, explain: (manager: EntityManager) => Promise<{ 'QUERY PLAN': string }[]>): Promise<string> {
  const ds = createDataSource({ url, poolSize: 1 });
  await ds.initialize();
  try {
    return await ds.transaction(async (manager) => {
      await manager.query(`SELECT set_config('app.clinic_id', $1, true)`, [clinicId]);
      return (await explain(manager)).map((r) => r['QUERY PLAN']).join('\n');
    });
  } finally {
    await ds.destroy();
  }
}

const inboxOf = (manager: EntityManager, clinicId: string, after: [number, string, string] | null) =>
  buildInboxQuery(manager, { clinicId, statuses: ['open', 'acknowledged'], after, limit: 50 });

/** The inbox SQL the service runs, EXPLAINed with ANALYZE and BUFFERS as the service's role, for the clinic's first and deep page. */
function explainInbox(url: string, clinicId: string, after: [number, string, string] | null): Promise<string> {
  return explainAsClinic(url, clinicId, (manager) => {
    const q = inboxOf(manager, clinicId, after);
    return manager.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, q.params);
  });
}

/**
 * The same page under the plan PostgreSQL may settle on for the service's prepared statement
 * (src/database/prepared.ts): after five executions it can switch to a generic plan, made without
 * the parameters' values. Forced here, EXPLAINed through PREPARE and EXECUTE.
 */
function explainInboxGeneric(url: string, clinicId: string, after: [number, string, string] | null): Promise<string> {
  return explainAsClinic(url, clinicId, async (manager) => {
    await manager.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
    const q = inboxOf(manager, clinicId, after);
    const literal = (v: unknown) => `'${(Array.isArray(v) ? `{${v.join(',')}}` : String(v)).replace(/'/g, "''")}'`;
    await manager.query(`PREPARE bench_inbox AS ${q.sql}`);
    try {
      return await manager.query(`EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_inbox(${q.params.map(literal).join(', ')})`);
    } finally {
      await manager.query(`DEALLOCATE bench_inbox`);
    }
  });
}

/** A visit's OVERDUE_REVIEW lock (inside the rules' read), EXPLAINed like the inbox: its cost must not grow with the clinic's alerts. */
function explainOverdue(url: string, clinicId: string, depositIds: string[]): Promise<string> {
  return explainAsClinic(url, clinicId, (manager) => manager.query(`EXPLAIN (ANALYZE, BUFFERS) ${lockOverdueReviews('$1', '$2')}`, [clinicId, depositIds.slice(0, 3)]));
}

/**
 * What the shared request limit (issue 11) adds to every request: its upsert against `SELECT 1`
 * (the cheapest round trip), alternating on one connection as the service's role, medians in µs.
 * The whole application with the limit on and off is `npm run bench:rate-limit` (slower).
 */
async function rateLimitCost(url: string, n: number): Promise<{ upsertUs: number; selectOneUs: number; n: number }> {
  return withClient(url, async (client) => {
    const one: number[] = [];
    const hit: number[] = [];
    for (let i = 0; i < n + 100; i++) {
      let t = performance.now();
      await client.query('SELECT 1');
      const a = performance.now() - t;
      t = performance.now();
      await client.query({ name: 'calcitrack-rate-limit-hit', text: HIT, values: [`user:bench-rate-limit-${i % 50}`, 60] });
      const b = performance.now() - t;
      if (i >= 100) { // the first 100 warm up
        one.push(a * 1000);
        hit.push(b * 1000);
      }
    }
    return { upsertUs: median(hit), selectOneUs: median(one), n };
  });
}

/** The inbox's first page exactly as the service builds it, for the pg baseline. */
async function inboxSql(url: string, clinicId: string): Promise<{ sql: string; params: unknown[] }> {
  const ds = createDataSource({ url, poolSize: 1 });
  await ds.initialize();
  try {
    return buildInboxQuery(ds.manager, { clinicId, statuses: ['open', 'acknowledged'], limit: 50 });
  } finally {
    await ds.destroy();
  }
}

/** The sort key behind a cursor the inbox issued: [severityRank, createdAt, id]. */
function cursorKey(cursor: string): [number, string, string] {
  const [rank, at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [number, string, string];
  return [Number(rank), new Date(at).toISOString(), id];
}

async function captureStatements(db: BenchDatabase, service: Service, seeded: Seeded, sessions: BenchSession[]): Promise<{ visit: StatementStat[]; inbox: StatementStat[] } | null> {
  if (!db.statStatements) return null;
  const n = 20;
  const main = sessions.filter((s) => s.clinicId === seeded.clinicIds[0]);
  await resetStatements(db.adminUrl);
  for (let i = 0; i < n; i++) {
    const p = seeded.visitPatients[0][seeded.visitPatients[0].length - 1 - i];
    const a = await call(service.port, 'POST', `/api/v1/patients/${p.patientId}/visits`, { token: main[i % main.length].accessToken, json: JSON.parse(visitBody(p, visitDate(), i)) });
    if (a.status !== 201) throw new Error(`a visit answered ${a.status}: ${a.body.toString('utf8').slice(0, 300)}`);
  }
  const visit = await readStatements(db.adminUrl, new URL(db.url).username, n);
  await resetStatements(db.adminUrl);
  for (let i = 0; i < n; i++) await callJson(service.port, 'GET', '/api/v1/alerts?limit=50', { token: main[i % main.length].accessToken });
  const inbox = await readStatements(db.adminUrl, new URL(db.url).username, n);
  return { visit, inbox };
}

async function reportTimes(service: Service, token: string, patientId: string, format: string): Promise<{ medianMs: number; maxMs: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i <= REPORT_RUNS; i++) {
    const a = await call(service.port, 'GET', `/api/v1/patients/${patientId}/report?format=${format}`, { token });
    if (a.status !== 200) throw new Error(`the ${format} report answered ${a.status}`);
    if (i > 0) times.push(a.ms); // the first is a warm-up
    bytes = a.body.length;
  }
  return { medianMs: median(times), maxMs: Math.max(...times), bytes };
}

async function profileRun(db: BenchDatabase, seeded: Seeded, jwtSecret: string, which: 'B1' | 'B2'): Promise<{ summary: ProfileSummary; file: string }> {
  const dir = join(ROOT, 'bench', 'profile');
  mkdirSync(dir, { recursive: true });
  const before = new Set(readdirSync(dir));
  const service = await startService({ databaseUrl: db.url, jwtSecret, workDir: db.workDir, logFile: join(db.workDir, `service-profile-${which}.log`), nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${which}-${Date.now()}.cpuprofile`] });
  const t0 = Date.now();
  try {
    const sessions = await loginAll(service.port, seeded.users[0], seeded.password);
    const next = which === 'B1' ? visitRequests([seeded.visitPatients[0]], bySessionClinic(sessions)).next : inboxRequests(sessions);
    await load(service.port, { connections: 16, seconds: WARMUP_SECONDS, next });
    const skipMs = Date.now() - t0 + service.startMs;
    const r = await load(service.port, { connections: 16, seconds: SECONDS * 2, next });
    log(`  ${which} under the profiler: ${brief(r)}`);
    await service.stop();
    const file = readdirSync(dir).find((f) => !before.has(f) && f.startsWith(which));
    if (!file) throw new Error('the service wrote no CPU profile');
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    return { summary: summariseProfile(profile, { skipMs, top: 30 }), file: join('bench', 'profile', file) };
  } finally {
    await service.stop();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  log(`Calcitrack benchmark, ${QUICK_MODE ? 'QUICK (--quick: B4 and the export scaled down tenfold, fewer patients, shorter runs)' : 'full'}${PROFILE_MODE ? ', with CPU profiles' : ''}; ${SECONDS} s per load run`);
  if (!pgbenchAvailable()) throw new Error('pgbench not found (set PGBENCH, or install postgresql-client 15)');
  const db = await phase('database', benchDatabase);
  let service: Service | null = null;
  try {
    const env = machine(ROOT, db.serverVersion, db.kind);
    log(`  ${db.kind} PostgreSQL ${db.serverVersion}; pg_stat_statements ${db.statStatements ? 'on' : 'not available'}`);
    await phase('migrations', () => migrate(db.url));
    const seeded = await phase('seed', () => seed(db.url, SHAPE, log));
    log(`  ${Object.entries(seeded.counts).map(([t, n]) => `${fmt(n)} ${t}`).join(', ')}`);
    await phase(`pgbench tables (scale ${PGBENCH_SCALE})`, () => pgbenchInit(db.pgbenchUrl, PGBENCH_SCALE));

    const jwtSecret = newJwtSecret();
    service = await phase('service', () => startService({ databaseUrl: db.url, jwtSecret, workDir: db.workDir, logFile: join(db.workDir, 'service.log') }));
    const rssAtRest = memoryOf(service.pid).rssMb;
    watched = service.pid;
    log(`  pid ${service.pid}, listening after ${service.startMs} ms, RSS ${fmt(rssAtRest)} MB`);
    const emails = seeded.users.flat();
    const sessions = await phase(`log in ${emails.length} users through the API`, () => loginAll(service!.port, emails, seeded.password));
    const [exportSession] = await loginAll(service.port, [seeded.exportClinic.email], seeded.password);
    const byClinic = bySessionClinic(sessions);
    const mainClinic = seeded.clinicIds[0];
    const mainSessions = byClinic.get(mainClinic)!;
    const svc = service;
    const refresh = () => refreshIfOld(svc.port, [...sessions, exportSession]);

    const statements = await phase('statements per visit and per inbox page (pg_stat_statements)', () => captureStatements(db, svc, seeded, sessions));
    // a statement sent at least every other visit is the visit's; the rest are the background jobs' (pg-boss, the outbox)
    const visitStatements = statements ? statements.visit.filter((s) => s.perUnit >= 0.5).reduce((n, s) => n + s.perUnit, 0) : NaN;
    const inboxStatements = statements ? statements.inbox.reduce((n, s) => n + s.perUnit, 0) : NaN;
    if (statements) {
      log(`  a visit: ${fmt(visitStatements, 1)} statements, ${fmt(statements.visit.reduce((n, s) => n + s.perUnit * s.meanMs, 0), 2)} ms executing in PostgreSQL; an inbox page: ${fmt(inboxStatements, 1)} statements, ${fmt(statements.inbox.reduce((n, s) => n + s.perUnit * s.meanMs, 0), 2)} ms`);
      if (Math.round(visitStatements) !== VISIT_STATEMENTS) log(`  NOTE: the service now sends ${fmt(visitStatements, 1)} statements per visit, the pg replay ${VISIT_STATEMENTS}: update bench/lib/visit-sql.ts`);
    }

    // ---- B1: visit ingest at 1, 4 and 16 connections, against pgbench tpcb-like and the same SQL through pg
    const date = visitDate();
    const oneClinic = [seeded.visitPatients[0]];
    await phase(`warm-up (${WARMUP_SECONDS} s of visits)`, () => load(svc.port, { connections: 16, seconds: WARMUP_SECONDS, next: visitRequests(oneClinic, byClinic, date).next }));
    const b1: { connections: number; service: LoadResult; pgbench: PgbenchResult; sql: LoadResult & { statementsPerVisit: number } }[] = [];
    for (const c of CONCURRENCY) {
      await refresh();
      const row = await phase(`B1 visits at ${c} connection${c > 1 ? 's' : ''}`, async () => {
        const service = await load(svc.port, { connections: c, seconds: SECONDS, next: visitRequests(oneClinic, byClinic, date).next });
        const pgbench = await pgbenchRun(db.pgbenchUrl, 'tpcb-like', c, SECONDS);
        const sql = await replayVisits(db.url, { connections: c, seconds: SECONDS, pools: oneClinic, sessionsByClinic: byClinic, date });
        return { connections: c, service, pgbench, sql };
      });
      log(`  service ${brief(row.service)} | pgbench tpcb-like ${fmt(row.pgbench.tps)} tps | same SQL through pg ${brief(row.sql)}`);
      b1.push(row);
    }
    for (const r of b1) {
      const at16 = r.connections === 16;
      const vsPgbench = r.service.perSecond / r.pgbench.tps;
      const vsSql = r.service.perSecond / r.sql.perSecond;
      figure('B1', `visits/s at ${r.connections} conn ÷ pgbench tpcb-like tps`, vsPgbench, '×', at16 ? '≥ 0.25×' : null, at16 ? vsPgbench >= 0.25 : null, `${fmt(r.service.perSecond, 1)} visits/s vs ${fmt(r.pgbench.tps)} tps`);
      figure('B1', `visits/s at ${r.connections} conn ÷ same SQL through pg`, vsSql, '×', at16 ? '≥ 0.7×' : null, at16 ? vsSql >= 0.7 : null, `${fmt(r.service.perSecond, 1)} vs ${fmt(r.sql.perSecond, 1)} visits/s (pg p50 ${fmt(r.sql.p50, 1)} ms)`);
      figure('B1', `visit p99 at ${r.connections} conn`, r.service.p99, 'ms', at16 ? '< 100 ms' : null, at16 ? r.service.p99 < 100 : null, `p50 ${fmt(r.service.p50, 1)}, p95 ${fmt(r.service.p95, 1)} ms; pg replay p99 ${fmt(r.sql.p99, 1)} ms`);
      figure('B1', `visit errors at ${r.connections} conn`, r.service.errors, '', at16 ? '0' : null, at16 ? r.service.errors === 0 : null, `${fmt(r.service.requests)} requests; status codes ${JSON.stringify(r.service.statusCodes)}`);
    }

    // ---- B5: the same load in one clinic, then spread over ten
    await refresh();
    const b5 = await phase('B5 visits at 16 connections: one clinic, then ten', async () => {
      const one = await load(svc.port, { connections: 16, seconds: SECONDS, next: visitRequests(oneClinic, byClinic, date).next });
      const ten = await load(svc.port, { connections: 16, seconds: SECONDS, next: visitRequests(seeded.visitPatients, byClinic, date).next });
      // the same pair through pg: what the database alone loses to the per-clinic audit chain lock
      const sqlOne = await replayVisits(db.url, { connections: 16, seconds: SECONDS, pools: oneClinic, sessionsByClinic: byClinic, date });
      const sqlTen = await replayVisits(db.url, { connections: 16, seconds: SECONDS, pools: seeded.visitPatients, sessionsByClinic: byClinic, date });
      return { one, ten, sqlOne, sqlTen };
    });
    log(`  one clinic ${brief(b5.one)} | ten clinics ${brief(b5.ten)}`);
    log(`  through pg: one clinic ${brief(b5.sqlOne)} | ten clinics ${brief(b5.sqlTen)}`);
    figure('B5', 'one clinic ÷ ten clinics (visits/s at 16 conn)', b5.one.perSecond / b5.ten.perSecond, '×', '≥ 0.8×', b5.one.perSecond / b5.ten.perSecond >= 0.8, `${fmt(b5.one.perSecond, 1)} vs ${fmt(b5.ten.perSecond, 1)} visits/s`);
    figure('B5', 'the same through pg: one clinic ÷ ten', b5.sqlOne.perSecond / b5.sqlTen.perSecond, '×', null, null, `${fmt(b5.sqlOne.perSecond, 1)} vs ${fmt(b5.sqlTen.perSecond, 1)} visits/s: the database's own share of the per-clinic serialisation`);

    // ---- B2: the inbox's first page at 16 connections against pgbench select-only
    await refresh();
    const b2 = await phase('B2 inbox pages at 16 connections', async () => {
      const service = await load(svc.port, { connections: 16, seconds: SECONDS, next: inboxRequests(mainSessions) });
      const pgbench = await pgbenchRun(db.pgbenchUrl, 'select-only', 16, SECONDS);
      const inbox = await inboxSql(db.url, mainClinic);
      const sql = await replayInbox(db.url, { connections: 16, seconds: SECONDS, sessions: mainSessions, clinicId: mainClinic, ...inbox, audit: true });
      const sqlWithoutAudit = await replayInbox(db.url, { connections: 16, seconds: SECONDS, sessions: mainSessions, clinicId: mainClinic, ...inbox, audit: false });
      return { service, pgbench, sql, sqlWithoutAudit };
    });
    log(`  service ${brief(b2.service)} | pgbench select-only ${fmt(b2.pgbench.tps)} tps`);
    log(`  the page's SQL through pg ${brief(b2.sql)} | without its audit event ${brief(b2.sqlWithoutAudit)}`);
    figure('B2', 'inbox pages/s at 16 conn ÷ pgbench select-only tps', b2.service.perSecond / b2.pgbench.tps, '×', '≥ 0.03×', b2.service.perSecond / b2.pgbench.tps >= 0.03, `${fmt(b2.service.perSecond, 1)} pages/s vs ${fmt(b2.pgbench.tps)} tps`);
    figure('B2', 'inbox page p99 at 16 conn', b2.service.p99, 'ms', '< 50 ms', b2.service.p99 < 50, `p50 ${fmt(b2.service.p50, 1)} ms, ${b2.service.errors} errors`);
    figure('B2', 'inbox pages/s ÷ the same SQL through pg', b2.service.perSecond / b2.sql.perSecond, '×', null, null, `${fmt(b2.sql.perSecond, 1)} pages/s through pg (p99 ${fmt(b2.sql.p99, 1)} ms); ${fmt(b2.sqlWithoutAudit.perSecond, 1)} without the audit event`);

    // ---- B3: a visit's latency when each deposit has 1,000 earlier evaluations, against 1
    await refresh();
    const b3 = await phase(`B3 visits at 1 connection: deposits with ${SHAPE.longHistory} earlier evaluations vs 1`, async () => {
      const short = await load(svc.port, { connections: 1, seconds: SECONDS, next: visitRequests([seeded.shortPatients], byClinic, date).next });
      const long = await load(svc.port, { connections: 1, seconds: SECONDS, next: visitRequests([seeded.longPatients], byClinic, date).next });
      return { short, long };
    });
    log(`  1 earlier: ${brief(b3.short)} | ${SHAPE.longHistory} earlier: ${brief(b3.long)}`);
    figure('B3', `visit p50 with ${SHAPE.longHistory} earlier evaluations ÷ with 1`, b3.long.p50 / b3.short.p50, '×', '≤ 1.2×', b3.long.p50 / b3.short.p50 <= 1.2, `p50 ${fmt(b3.long.p50, 1)} vs ${fmt(b3.short.p50, 1)} ms`);

    // ---- B4: the inbox at scale, first page and a page 100 pages deep
    await refresh();
    let cursor: string | null = null;
    for (let i = 0; i < DEEP_PAGE; i++) {
      const page: { nextCursor: string | null } = await callJson(svc.port, 'GET', `/api/v1/alerts?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: mainSessions[0].accessToken });
      if (!page.nextCursor) throw new Error(`the inbox has fewer than ${DEEP_PAGE + 1} pages`);
      cursor = page.nextCursor;
    }
    const deepCursor = cursor!;
    const b4 = await phase(`B4 inbox at scale (${fmt(seeded.counts.alerts)} alerts), 1 connection: first page and page ${DEEP_PAGE + 1}`, async () => {
      const first = await load(svc.port, { connections: 1, seconds: SECONDS, next: inboxRequests(mainSessions) });
      const deep = await load(svc.port, { connections: 1, seconds: SECONDS, next: inboxRequests(mainSessions, deepCursor) });
      return { first, deep };
    });
    log(`  first page ${brief(b4.first)} | page ${DEEP_PAGE + 1} ${brief(b4.deep)}`);
    figure('B4', 'inbox first page p95 (1 conn)', b4.first.p95, 'ms', '< 20 ms', b4.first.p95 < 20, `p50 ${fmt(b4.first.p50, 1)} ms`);
    figure('B4', `inbox page ${DEEP_PAGE + 1} p95 (1 conn)`, b4.deep.p95, 'ms', '< 20 ms', b4.deep.p95 < 20, `p50 ${fmt(b4.deep.p50, 1)} ms`);
    figure('B4', `page ${DEEP_PAGE + 1} p95 ÷ first page p95`, b4.deep.p95 / b4.first.p95, '×', null, null, 'cursor pagination: the depth should not cost');
    const explain = {
      firstPage: await explainInbox(db.url, mainClinic, null),
      deepPage: await explainInbox(db.url, mainClinic, cursorKey(deepCursor)),
      firstPageGeneric: await explainInboxGeneric(db.url, mainClinic, null),
      deepPageGeneric: await explainInboxGeneric(db.url, mainClinic, cursorKey(deepCursor)),
      overdueReview: await explainOverdue(db.url, mainClinic, seeded.visitPatients[0][0].deposits.map((d) => d.id)),
    };
    const timeOf = (plan: string) => /Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? '?';
    log(`  EXPLAIN ANALYZE: first page ${timeOf(explain.firstPage)} ms, page ${DEEP_PAGE + 1} ${timeOf(explain.deepPage)} ms, a visit's OVERDUE_REVIEW lookup ${timeOf(explain.overdueReview)} ms; under a generic plan (prepared) first page ${timeOf(explain.firstPageGeneric)} ms, page ${DEEP_PAGE + 1} ${timeOf(explain.deepPageGeneric)} ms`);

    // ---- B6: the reports of a patient with 20 deposits × 40 visits, and the clinic export against COPY
    await refresh();
    const b6 = await phase(`B6 reports (${seeded.reportPatient.evaluations} evaluations) and the clinic export (${fmt(seeded.exportClinic.rows)} evaluations)`, async () => {
      // the export first: its peak RSS should not carry the heap the 10 MB FHIR bundle leaves behind
      const exp: ExportFigures = await measureExport({ port: svc.port, pid: svc.pid, token: exportSession.accessToken, url: db.url, clinicId: seeded.exportClinic.clinicId, expectedRows: seeded.exportClinic.rows, runs: EXPORT_RUNS });
      const token = mainSessions[0].accessToken;
      const json = await reportTimes(svc, token, seeded.reportPatient.patientId, 'json');
      const pdf = await reportTimes(svc, token, seeded.reportPatient.patientId, 'pdf');
      const fhir = await reportTimes(svc, token, seeded.reportPatient.patientId, 'fhir');
      return { json, pdf, fhir, export: exp };
    });
    figure('B6', 'PDF report (median)', b6.pdf.medianMs, 'ms', '< 1,500 ms', b6.pdf.medianMs < 1500, `${fmt(b6.pdf.medianMs / b6.json.medianMs, 1)}× the JSON report (${fmt(b6.json.medianMs)} ms); max ${fmt(b6.pdf.maxMs)} ms, ${fmt(b6.pdf.bytes / 1024)} kB`);
    figure('B6', 'FHIR report (median)', b6.fhir.medianMs, 'ms', '< 1,000 ms', b6.fhir.medianMs < 1000, `${fmt(b6.fhir.medianMs / b6.json.medianMs, 1)}× the JSON report; max ${fmt(b6.fhir.maxMs)} ms, ${fmt(b6.fhir.bytes / 1024)} kB`);
    figure('B6', 'export rows/s ÷ COPY rows/s', b6.export.ratio, '×', '≥ 0.5×', b6.export.ratio >= 0.5, `${fmt(b6.export.export.rowsPerSecond)} vs ${fmt(b6.export.copy.rowsPerSecond)} rows/s, first byte ${fmt(b6.export.export.firstByteMs, 1)} ms`);
    figure('B6', 'service peak RSS during the export', b6.export.peakRssMb, 'MB', '< 250 MB', b6.export.peakRssMb < 250, `${fmt(b6.export.rssBeforeMb)} MB before the first export (after B1–B5)`);

    // ---- the request counter every request bumps (issue 11): its cost per request
    const rateLimit = await phase('rate limit: the request counter against SELECT 1', () => rateLimitCost(db.url, QUICK_MODE ? 1000 : 5000));
    const counterMs = statements?.visit.find((st) => st.query.includes('rate_limit_counters'))?.meanMs;
    figure(
      'RL',
      'rate limit: added latency per request (upsert − SELECT 1)',
      rateLimit.upsertUs - rateLimit.selectOneUs,
      'µs',
      null,
      null,
      `upsert ${fmt(rateLimit.upsertUs)} vs SELECT 1 ${fmt(rateLimit.selectOneUs)} µs (medians of ${fmt(rateLimit.n)}, 1 conn)${counterMs === undefined ? '' : `; ${fmt(counterMs * 1000)} µs in PostgreSQL`}; sent with the guard's user lookup in one statement`,
    );

    const rssAtEnd = memoryOf(svc.pid).rssMb;
    figure('RSS', 'service RSS at the end ÷ at rest', rssAtEnd / rssAtRest, '×', null, null, `${fmt(rssAtEnd)} MB at the end, ${fmt(rssAtRest)} MB at rest (started, before any request)`);
    watched = null;
    await service.stop();
    service = null;

    let profiles: Record<string, { summary: ProfileSummary; file: string }> | null = null;
    if (PROFILE_MODE) {
      profiles = {};
      for (const which of ['B1', 'B2'] as const) {
        profiles[which] = await phase(`CPU profile of the service under ${which} at 16 connections`, () => profileRun(db, seeded, jwtSecret, which));
        writeFileSync(join(ROOT, 'bench', 'profile', `${which}-summary.txt`), formatSummary(profiles[which].summary) + '\n');
        log(formatSummary({ ...profiles[which].summary, self: profiles[which].summary.self.slice(0, 15), inclusive: profiles[which].summary.inclusive.slice(0, 15) }));
      }
    }

    const totalSeconds = (performance.now() - started) / 1000;
    printTable(env, totalSeconds);
    const results = {
      mode: QUICK_MODE ? 'quick' : 'full',
      note: 'Every ratio compares figures measured in this run on this server; the machine is shared, so absolute numbers are noisy and only the ratios within one run count.',
      machine: env,
      settings: { secondsPerRun: SECONDS, pgbenchScale: PGBENCH_SCALE, shape: SHAPE, service: 'node dist/src/main.js with npm start defaults; only DATABASE_URL, JWT_SECRET, PORT and DATA_DIR set' },
      seed: { seconds: seeded.seconds, counts: seeded.counts },
      totalSeconds,
      targets,
      figures: {
        B1: b1,
        B2: b2,
        B3: { history: SHAPE.longHistory, ...b3 },
        B4: { alerts: seeded.counts.alerts, deepPage: DEEP_PAGE + 1, ...b4 },
        B5: b5,
        B6: { reportEvaluations: seeded.reportPatient.evaluations, exportRows: seeded.exportClinic.rows, ...b6 },
        memory: { rssAtRestMb: rssAtRest, rssAtEndMb: rssAtEnd, trail: memoryTrail },
        rateLimit,
      },
      sql: statements ? { statementsPerVisit: visitStatements, statementsPerInboxPage: inboxStatements, replayStatementsPerVisit: VISIT_STATEMENTS, visit: statements.visit, inbox: statements.inbox } : null,
      explain,
      profiles,
    };
    const out = join(ROOT, 'bench', 'results.json');
    writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
    log(`\nwrote ${out.replace(ROOT + '/', '')} (${fmt(totalSeconds)} s in all)`);
  } finally {
    await service?.stop();
    await db.cleanup();
  }
}

function printTable(env: ReturnType<typeof machine>, seconds: number): void {
  const rows = [['', 'figure', 'value', 'target', 'met', 'measured']];
  for (const t of targets) {
    const value = t.unit === '×' ? `${fmt(t.value, t.value < 0.1 ? 3 : 2)}×` : t.unit ? `${fmt(t.value, t.unit === 'ms' ? 1 : 0)} ${t.unit}` : fmt(t.value);
    rows.push([t.id, t.figure, value, t.target, t.met === null ? '' : t.met ? 'yes' : 'NO', t.detail]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  log('');
  log(`${env.cpu}, ${env.cores} cores, ${env.ramGb} GB; Node ${env.node}; PostgreSQL ${env.postgres} (${env.database}); commit ${env.commit}; ${env.date}; ${QUICK_MODE ? 'quick' : 'full'} run, ${fmt(seconds)} s`);
  for (const [i, r] of rows.entries()) {
    log(`| ${r.map((cell, j) => cell.padEnd(widths[j])).join(' | ')} |`);
    if (i === 0) log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
