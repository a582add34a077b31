/**
 * What the shared request limit costs (not a test): `npm run bench:rate-limit`.
 *
 * The limit is one upsert per request on `rate_limit_counters` (src/auth/rate-limit.store.ts), so
 * every instance counts the same requests. Measured on a throwaway database (a fresh bundled
 * PostgreSQL, or a fresh database on the server at DATABASE_URL, dropped at the end), each figure
 * against a baseline taken in the same run and interleaved with it, so that whatever else the
 * machine is doing weighs on both alike:
 *
 * 1. The statement alone, one node-postgres connection: the upsert and `SELECT 1` (the cheapest
 *    round trip) in alternation, BENCH_STATEMENTS of each; and BENCH_CONCURRENCY connections
 *    upserting one key (one user's concurrent requests meet on one row) against as many keys.
 * 2. The real application in two child processes on that database: as shipped ("on"), and with
 *    the limit check skipped (BENCH_LIMITER=off: a store that counts nothing), each serving
 *    `GET /api/v1/users?limit=1` to the admin of a clinic of its own.
 *    a. Latency: one request to each in turn (which goes first alternates), BENCH_PAIRS pairs;
 *       the median of each and the median of the paired differences.
 *    b. Throughput: both loaded at the same time, BENCH_CONCURRENCY / 2 keep-alive connections
 *       each, for BENCH_SECONDS, BENCH_RUNS times; requests per second of each, and the ratio.
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
import { HIT } from '../src/auth/rate-limit.store';
import { provisionClinic } from '../src/clinics/clinic-provisioning';
import { BundledPostgres } from '../src/database/bundled-postgres';
import { createDataSource } from '../src/database/data-source';
import { migrate } from '../src/database/database-runtime';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const STATEMENTS = Number(process.env.BENCH_STATEMENTS ?? 5000);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 1000);


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

/** Microseconds of each statement, the two run in alternation on one connection: their medians. */
async function pairedStatements(client: pg.Client): Promise<{ selectOne: number; upsert: number }> {
  const one: number[] = [];
  const hit: number[] = [];
  for (let i = 0; i < STATEMENTS + 200; i++) {
    let t = performance.now();
    await client.query('SELECT 1');
    const a = performance.now() - t;
    t = performance.now();
    await client.query(HIT, ['user:bench-serial', 60]);
    const b = performance.now() - t;
    if (i >= 200) { // the first 200 warm up
      one.push(a * 1000);
      hit.push(b * 1000);
    }
  }
  return { selectOne: median(one), upsert: median(hit) };
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

/** Requests per second of one server over `seconds`, from `connections` keep-alive loops. */
async function load(port: number, token: string, connections: number, seconds: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const headers = { authorization: `Bearer ${token}` };
  const until = performance.now() + seconds * 1000;
  const t0 = performance.now();
  const counts = await Promise.all(
    Array.from({ length: connections }, async () => {
      let n = 0;
      while (performance.now() < until) {
        const res = await send(agent, port, 'GET', '/api/v1/users?limit=1', headers);
        if (res.status !== 200) throw new Error(`GET /api/v1/users: ${res.status} ${res.text}`);
        n++;
      }
      return n;
    }),
  );
  agent.destroy();
  return counts.reduce((a, b) => a + b, 0) / ((performance.now() - t0) / 1000);
}

/** One request to each server in turn, `pairs` times: milliseconds of each. */
async function pairedLatency(a: { port: number; token: string }, b: { port: number; token: string }, pairs: number): Promise<{ a: number[]; b: number[] }> {
  const agents = [new Agent({ keepAlive: true, maxSockets: 1 }), new Agent({ keepAlive: true, maxSockets: 1 })];
  const out = { a: [] as number[], b: [] as number[] };
  const once = async (target: { port: number; token: string }, agent: Agent) => {
    const t = performance.now();
    const res = await send(agent, target.port, 'GET', '/api/v1/users?limit=1', { authorization: `Bearer ${target.token}` });
    if (res.status !== 200) throw new Error(`GET /api/v1/users: ${res.status} ${res.text}`);
    return performance.now() - t;
  };
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      out.a.push(await once(a, agents[0]));
      out.b.push(await once(b, agents[1]));
    } else {
      out.b.push(await once(b, agents[1]));
      out.a.push(await once(a, agents[0]));
    }
  }
  agents.forEach((agent) => agent.destroy());
  return out;
}

async function main(): Promise<void> {
  log(`rate-limit benchmark: Node ${process.version}; ${STATEMENTS} statement pairs, ${PAIRS} HTTP pairs, ${RUNS} × ${SECONDS} s of load at ${CONCURRENCY / 2} + ${CONCURRENCY / 2} connections`);
  const db = await throwawayDatabase();
  const servers: { child: ChildProcess }[] = [];
  try {
    await migrate(db.url);
    const fixtures = createDataSource({ url: db.url, poolSize: 1 });
    await fixtures.initialize();
    const password = randomBytes(18).toString('base64url');
    // a clinic per server: their requests never wait on each other's audit chain
    const admins = { on: `bench-on-${process.pid}@bench.local`, off: `bench-off-${process.pid}@bench.local` };
    for (const email of Object.values(admins)) await provisionClinic(fixtures, { name: `Benchmark clinic ${email}`, adminEmail: email, adminPassword: password });
    await fixtures.destroy();

    // 1. the statement alone
    const clients = Array.from({ length: CONCURRENCY }, () => new pg.Client({ connectionString: db.url }));
    await Promise.all(clients.map((c) => c.connect()));
    const statements = await pairedStatements(clients[0]);
    const oneKey = await concurrentRate(clients, 3, () => ['user:bench-one-key', 60]);
    const manyKeys = await concurrentRate(clients, 3, (k) => [`user:bench-key-${k}`, 60]);
    await Promise.all(clients.map((c) => c.end()));

    // 2. end to end
    const on = await startServer(db.url, 'on');
    servers.push(on);
    const off = await startServer(db.url, 'off');
    servers.push(off);
    const tokenOf = async (port: number, email: string) =>
      (JSON.parse((await send(new Agent(), port, 'POST', '/api/v1/auth/login', {}, JSON.stringify({ email, password }))).text) as { accessToken: string }).accessToken;
    const targets = { on: { port: on.port, token: await tokenOf(on.port, admins.on) }, off: { port: off.port, token: await tokenOf(off.port, admins.off) } };

    await pairedLatency(targets.on, targets.off, 100); // warm-up
    const latency = await pairedLatency(targets.on, targets.off, PAIRS);
    const differences = latency.a.map((ms, i) => (ms - latency.b[i]) * 1000);

    const ratios: number[] = [];
    const rps: { on: number[]; off: number[] } = { on: [], off: [] };
    for (let i = 0; i <= RUNS; i++) {
      const [l, o] = await Promise.all([
        load(targets.on.port, targets.on.token, CONCURRENCY / 2, i === 0 ? 2 : SECONDS),
        load(targets.off.port, targets.off.token, CONCURRENCY / 2, i === 0 ? 2 : SECONDS),
      ]);
      log(`${(i === 0 ? 'warm-up' : `run ${i}`).padEnd(8)} limit on ${fmt(l)} req/s | limit skipped ${fmt(o)} req/s (${fmt(l / o, 3)}×)`);
      if (i > 0) {
        rps.on.push(l);
        rps.off.push(o);
        ratios.push(l / o);
      }
    }

    const table = [
      ['', 'median latency, 1 connection', 'req/s under load (median)'],
      ['limit skipped (baseline)', `${fmt(median(latency.b), 2)} ms`, fmt(median(rps.off))],
      ['limit in PostgreSQL', `${fmt(median(latency.a), 2)} ms`, fmt(median(rps.on))],
    ];
    const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
    log('');
    for (const r of table) log(`| ${r.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`);
    log('');
    log(`per request: the limit adds ${fmt(median(differences), 0)} µs (median of ${PAIRS} paired differences), ${fmt((median(differences) / 1000 / median(latency.b)) * 100, 1)} % of the baseline's median latency`);
    log(`under load: limit on / skipped = ${fmt(median(ratios), 3)}× the requests per second (median of ${RUNS} simultaneous runs)`);
    log(`the statement: upsert ${fmt(statements.upsert, 0)} µs against SELECT 1 ${fmt(statements.selectOne, 0)} µs (medians, one connection, alternating)`);
    log(`${CONCURRENCY} connections on one key: ${fmt(oneKey)} upserts/s against ${fmt(manyKeys)} on ${CONCURRENCY} keys (${fmt(oneKey / manyKeys, 2)}×): one user's concurrent requests meet only for the statement`);
  } finally {
    for (const s of servers) await stopServer(s);
    await db.cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
