import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BundledPostgres } from '../../src/database/bundled-postgres';
import { freePort, waitUntil } from './fault-support';

const LIMIT = 60;
const ADMIN = { email: 'admin@limits.test', password: 'a long bootstrap passphrase' };

async function call(port: number, path: string, init: { method?: string; token?: string; from: string; body?: unknown }): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: init.method ?? 'GET',
    // the services trust a proxy on the loopback address: each scenario speaks for an address of its own
    headers: { 'x-forwarded-for': init.from, 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Sends `count` requests, alternating between the instances, `parallel` at a time; returns each status. */
async function spread(ports: number[], count: number, parallel: number, send: (port: number) => Promise<number>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - i) }, (_, j) => send(ports[(i + j) % ports.length]));
    statuses.push(...(await Promise.all(batch)));
  }
  return statuses;
}

/**
 * Two built services on one database, behind an imaginary load balancer: the request limits are
 * kept in PostgreSQL, so RATE_LIMIT_PER_MINUTE holds for the deployment, not for each instance
 * (kept in memory, 80 requests over two instances with a limit of 60 were all answered).
 */
describe('request limits shared by two instances', () => {
  let dataDir: string;
  let server: BundledPostgres;
  const children: { port: number; child: ChildProcess; output: string }[] = [];
  let ports: number[];

  beforeAll(async () => {
    expect(existsSync('dist/src/main.js')).toBe(true);
    dataDir = mkdtempSync(join(tmpdir(), 'calcitrack-limits-'));
    chmodSync(dataDir, 0o755);
    server = new BundledPostgres({ dataDir: join(dataDir, 'postgres'), port: await freePort() });
    const url = await server.start();
    ports = [await freePort(), await freePort()];
    for (const port of ports) {
      const child = spawn(process.execPath, ['dist/src/main.js'], {
        env: {
          ...process.env,
          DATABASE_URL: url,
          JWT_SECRET: 'shared-limit-secret-shared-limit-secret-0123',
          BOOTSTRAP_CLINIC_NAME: 'Limits clinic',
          BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
          BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
          RATE_LIMIT_PER_MINUTE: String(LIMIT),
          RATE_LIMIT_PER_ADDRESS_PER_MINUTE: String(LIMIT),
          PORT: String(port),
          DATA_DIR: join(dataDir, `instance-${port}`),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const entry = { port, child, output: '' };
      child.stdout?.on('data', (c: Buffer) => (entry.output += c.toString()));
      child.stderr?.on('data', (c: Buffer) => (entry.output += c.toString()));
      children.push(entry);
    }
    await waitUntil(async () => {
      if (children.some((c) => c.child.exitCode !== null)) throw new Error('an instance exited');
      return (await Promise.all(ports.map((port) => call(port, '/health', { from: '198.51.100.1' })))).every((r) => r.status === 200);
    }, 90_000, 'both instances to answer /health').catch((err: Error) => {
      throw new Error(`${err.message}\n${children.map((c) => c.output).join('\n')}`);
    });
  }, 120_000);

  afterAll(async () => {
    for (const { child } of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(children.map(({ child }) => (child.exitCode === null ? new Promise((r) => child.once('exit', r)) : null)));
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`one user's ${LIMIT} requests a minute hold over both instances: of 80, split evenly, exactly 20 answer 429`, async () => {
    const login = await call(ports[0], '/api/v1/auth/login', { method: 'POST', from: '198.51.100.2', body: ADMIN });
    expect(login.status).toBe(200);
    const token = (login.body as { accessToken: string }).accessToken;
    const statuses = await spread(ports, 80, 8, async (port) => (await call(port, '/api/v1/users', { token, from: '198.51.100.3' })).status);
    expect({ ok: statuses.filter((s) => s === 200).length, limited: statuses.filter((s) => s === 429).length }).toEqual({ ok: 60, limited: 20 });
    // both instances refused some: the count is one, not one per instance
    const refusedBy = new Set(statuses.map((s, i) => (s === 429 ? ports[i % 2] : null)).filter(Boolean));
    expect(refusedBy.size).toBe(2);
  });

  it(`one address's ${LIMIT} requests a minute to the public routes hold over both instances too`, async () => {
    const statuses = await spread(ports, 70, 7, async (port) => (await call(port, '/health', { from: '203.0.113.9' })).status);
    expect({ ok: statuses.filter((s) => s === 200).length, limited: statuses.filter((s) => s === 429).length }).toEqual({ ok: 60, limited: 10 });
    // another address is not affected
    expect((await call(ports[1], '/health', { from: '203.0.113.10' })).status).toBe(200);
  });
});
