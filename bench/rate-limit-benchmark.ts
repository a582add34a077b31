/**
 * What the shared request limit costs (not a test): `npm run bench:rate-limit`.
 *
 * The limit is one upsert per request on `rate_limit_counters` (src/auth/rate-limit.store.ts), so
 * every instance counts the same requests. Measured, on a throwaway database (a fresh bundled
 * PostgreSQL, or a fresh database on the server at DATABASE_URL, dropped at the end):
 *
 * 1. The statement alone, through node-postgres from one connection: the upsert against `SELECT 1`
 *    (the cheapest round trip), and BENCH_CONCURRENCY connections upserting one key (one user's
 *    concurrent requests: they meet on one row) against as many distinct keys.
 * 2. End to end over HTTP: the real application in a child process, once as shipped and once with
 *    the limit check skipped (BENCH_LIMITER=off: a store that counts nothing), serving
 *    `GET /api/v1/users?limit=1` to one admin from BENCH_CONCURRENCY keep-alive connections for
 *    BENCH_SECONDS; runs alternate (off, on, off, on, …) after a warm-up of each, median of BENCH_RUNS.
 *
 * Each figure is read against its baseline from the same run: the machine (2 cores shared by the
 * client, the service and PostgreSQL) only compares with itself.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { provisionClinic } from '../src/clinics/clinic-provisioning';
import { BundledPostgres } from '../src/database/bundled-postgres';
import { createDataSource } from '../src/database/data-source';
import { migrate } from '../src/database/database-runtime';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const STATEMENTS = Number(process.env.BENCH_STATEMENTS ?? 5000);

// the statement the store runs (kept in step with src/auth/rate-limit.store.ts)
const HIT = `
  INSERT INTO rate_limit_counters AS c (key, window_ends, hits)
  VALUES ($1, now() + make_interval(secs => $2), 1)
  ON CONFLICT (key) DO UPDATE
     SET hits = CASE WHEN c.window_ends <= now() THEN 1 ELSE c.hits + 1 END,
         window_ends = CASE WHEN c.window_ends <= now() THEN excluded.window_ends ELSE c.window_ends END
  RETURNING c.hits, ceil(extract(epoch FROM c.window_ends - now()))::int AS seconds_left`;

const log = (line: string) => console.log(line);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

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
    const name = `calcitrack_bench_limits_${process.pid}`;
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
  const dir = mkdtempSync(join(tmpdir(), 'calcitrack-bench-limits-'));
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

/** Mean microseconds per statement, one connection, one after the other. */
async function serialLatency(client: pg.Client, text: string, values: (i: number) => unknown[]): Promise<number> {
  for (let i = 0; i < 200; i++) await client.query(text, values(i)); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < STATEMENTS; i++) await client.query(text, values(i));
  return ((performance.now() - t0) * 1000) / STATEMENTS;
}

/** Statements per second from `clients`, each running its own loop for `seconds`. */
async function concurrentRate(clients: pg.Client[], seconds: number, values: (client: number, i: number) => unknown[]): Promise<number> {
  const until = performance.now() + seconds * 1000;
  const counts = await Promise.all(
    clients.map(async (c, k) => {
      let n = 0;
      while (performance.now() < until) await c.query(HIT, values(k, n++));
      return n;
    }),
  );
  return counts.reduce((a, b) => a + b, 0) / seconds;
}

// both servers sign and accept the same tokens
const JWT_SECRET = randomBytes(48).toString('base64url');

async function startServer(url: string, limiter: 'on' | 'off'): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [join(__dirname, 'rate-limit-server.js')], {
    env: { ...process.env, DATABASE_URL: url, JWT_SECRET, BENCH_LIMITER: limiter, RATE_LIMIT_PER_MINUTE: '1000000' },
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

async function stopServer(server: { child: ChildProcess }): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

function send(agent: Agent, port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, agent, headers: { ...headers, ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Load {
  requestsPerSecond: number;
  meanMs: number;
  p99Ms: number;
}

/** CONCURRENCY keep-alive loops of the same authenticated request for `seconds`. */
async function load(port: number, token: string, seconds: number): Promise<Load> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const headers = { authorization: `Bearer ${token}` };
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const started = performance.now();
        const res = await send(agent, port, 'GET', '/api/v1/users?limit=1', headers);
        if (res.status !== 200) throw new Error(`GET /api/v1/users: ${res.status} ${res.text}`);
        latencies.push(performance.now() - started);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { requestsPerSecond: latencies.length / elapsed, meanMs: latencies.reduce((a, b) => a + b, 0) / latencies.length, p99Ms: latencies[Math.floor(latencies.length * 0.99)] };
}

async function main(): Promise<void> {
  log(`rate-limit benchmark: Node ${process.version}, ${CONCURRENCY} concurrent, ${SECONDS} s per HTTP run, ${RUNS} measured runs of each (median)`);
  const db = await throwawayDatabase();
  const servers: { child: ChildProcess }[] = [];
  try {
    await migrate(db.url);
    const fixtures = createDataSource({ url: db.url, poolSize: 1 });
    await fixtures.initialize();
    const email = `bench-${process.pid}@bench.local`;
    const password = randomBytes(18).toString('base64url');
    await provisionClinic(fixtures, { name: 'Benchmark clinic', adminEmail: email, adminPassword: password });
    await fixtures.destroy();

    // 1. the statement alone
    const clients = Array.from({ length: CONCURRENCY }, () => new pg.Client({ connectionString: db.url }));
    await Promise.all(clients.map((c) => c.connect()));
    const selectOne = await serialLatency(clients[0], 'SELECT 1', () => []);
    const upsert = await serialLatency(clients[0], HIT, () => ['user:bench-serial', 60]);
    const oneKey = await concurrentRate(clients, 3, () => ['user:bench-one-key', 60]);
    const manyKeys = await concurrentRate(clients, 3, (k) => [`user:bench-key-${k}`, 60]);
    await Promise.all(clients.map((c) => c.end()));

    // 2. end to end
    const on = await startServer(db.url, 'on');
    servers.push(on);
    const off = await startServer(db.url, 'off');
    servers.push(off);
    const login = await send(new Agent(), on.port, 'POST', '/api/v1/auth/login', {}, JSON.stringify({ email, password }));
    const token = (JSON.parse(login.text) as { accessToken: string }).accessToken;
    const runs: { on: Load[]; off: Load[] } = { on: [], off: [] };
    for (let i = 0; i <= RUNS; i++) {
      const o = await load(off.port, token, i === 0 ? 2 : SECONDS);
      const l = await load(on.port, token, i === 0 ? 2 : SECONDS);
      log(`${(i === 0 ? 'warm-up' : `run ${i}`).padEnd(8)} limit skipped ${fmt(o.requestsPerSecond)} req/s (mean ${fmt(o.meanMs, 2)} ms) | limit on ${fmt(l.requestsPerSecond)} req/s (mean ${fmt(l.meanMs, 2)} ms)`);
      if (i > 0) {
        runs.off.push(o);
        runs.on.push(l);
      }
    }

    const rpsOn = median(runs.on.map((r) => r.requestsPerSecond));
    const rpsOff = median(runs.off.map((r) => r.requestsPerSecond));
    const meanOn = median(runs.on.map((r) => r.meanMs));
    const meanOff = median(runs.off.map((r) => r.meanMs));
    const table = [
      ['', 'req/s', 'mean latency', 'p99 latency'],
      ['limit skipped (baseline)', fmt(rpsOff), `${fmt(meanOff, 2)} ms`, `${fmt(median(runs.off.map((r) => r.p99Ms)), 2)} ms`],
      ['limit in PostgreSQL', fmt(rpsOn), `${fmt(meanOn, 2)} ms`, `${fmt(median(runs.on.map((r) => r.p99Ms)), 2)} ms`],
    ];
    const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
    log('');
    for (const r of table) log(`| ${r.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`);
    log('');
    log(`HTTP: limit on / skipped = ${fmt(rpsOn / rpsOff, 3)}× the requests per second; ${fmt((1000 / rpsOn - 1000 / rpsOff) * 1000, 0)} µs of server time per request`);
    log(`statement: upsert ${fmt(upsert, 0)} µs against SELECT 1 ${fmt(selectOne, 0)} µs per round trip (${fmt(upsert / selectOne, 2)}×), one connection`);
    log(`${CONCURRENCY} connections on one key ${fmt(oneKey)} upserts/s against ${fmt(manyKeys)} on ${CONCURRENCY} keys (${fmt(oneKey / manyKeys, 2)}×): one user's concurrent requests meet only for the statement`);
  } finally {
    for (const s of servers) await stopServer(s);
    await db.cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
