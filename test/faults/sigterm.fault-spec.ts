import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BundledPostgres } from '../../src/database/bundled-postgres';
import { freePort, waitUntil } from './fault-support';

let sent = 0;

function call(port: number, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: unknown; error?: string }> {
  return new Promise((resolve) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      { host: '127.0.0.1', port, method, path, agent: false, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(data ? { 'content-length': Buffer.byteLength(data) } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
        res.on('error', (err) => resolve({ status: 0, body: null, error: err.message }));
      },
    );
    req.on('error', (err) => resolve({ status: 0, body: null, error: err.message }));
    req.on('finish', () => (sent += 1));
    if (data) req.write(data);
    req.end();
  });
}

/** The built service (`npm run build`), on its bundled PostgreSQL, stopped with SIGTERM while it is busy. */
describe('SIGTERM under load', () => {
  let dataDir: string;
  let child: ChildProcess;
  let port: number;
  let output = '';

  beforeAll(async () => {
    expect(existsSync('dist/src/main.js')).toBe(true);
    dataDir = mkdtempSync(join(tmpdir(), 'calcitrack-sigterm-'));
    chmodSync(dataDir, 0o755);
    port = await freePort();
    child = spawn(process.execPath, ['dist/src/main.js'], {
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: String(port), BUNDLED_PG_PORT: String(await freePort()), LOG_LEVEL: 'info', BACKGROUND_JOBS: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    await waitUntil(async () => (await call(port, 'GET', '/health')).status === 200, 90_000, 'the service to start');
  });

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes every request in flight, then stops the bundled PostgreSQL cleanly and exits 0', async () => {
    const login = await call(port, 'POST', '/api/v1/auth/login', { email: 'staff@demo.local', password: 'calcitrack-demo' });
    const token = (login.body as { accessToken: string }).accessToken;
    const patients = await call(port, 'GET', '/api/v1/patients?search=DEMO-0001', undefined, token);
    const patientId = (patients.body as { items: { id: string }[] }).items[0].id;

    const inFlight: Promise<{ status: number; error?: string }>[] = [];
    for (let i = 0; i < 40; i++) {
      inFlight.push(call(port, 'POST', `/api/v1/patients/${patientId}/visits`, {
        visitDate: '2022-01-01',
        newDeposits: [{ label: `sigterm ${i}`, site: 'hand', laterality: 'left', depth: 'cutaneous', detectedBy: 'caliper', evaluation: { method: 'caliper', longestDiameterMm: 4 } }],
      }, token));
      inFlight.push(call(port, 'GET', `/api/v1/patients/${patientId}/report?format=json`, undefined, token));
    }
    // every request is written, and the server has accepted its connection (a later connection was
    // answered, and connections are accepted in order): they are in flight, not new
    const before = sent;
    await waitUntil(async () => sent - before === inFlight.length, 10_000, 'every request to be written');
    expect((await call(port, 'GET', '/health')).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const results = await Promise.all(inFlight);
    const code = await exited;

    expect(results.filter((r) => r.status === 0 || r.status >= 500)).toEqual([]);
    expect(code).toBe(0);
    expect(output).toContain('stopped cleanly');
  });

  it('left the database shut down cleanly: the next start needs no crash recovery', async () => {
    const pg = new BundledPostgres({ dataDir: join(dataDir, 'postgres'), port: await freePort() });
    await pg.start();
    const log = pg.recentOutput().join('\n');
    await pg.stop();
    expect(log).not.toMatch(/not properly shut down|automatic recovery in progress/);
    expect(log).toContain('database system is ready to accept connections');
  });
});
