// The built service (npm run build) on a throwaway bundled PostgreSQL: its own data directory and
// free ports, the demo clinic seeded at first start, stopped with SIGTERM afterwards. Webhooks may
// name 127.0.0.1 (the journey subscribes one there; nothing listens, nothing leaves the machine).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

/** Polls `check` until it is true, or fails after `ms` with what it was waiting for. */
export async function until(what: string, check: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await Promise.resolve().then(check).catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface RunningService {
  url: string;
  log: () => string;
  stop: () => Promise<void>;
}

export async function startService(): Promise<RunningService> {
  for (const built of ['dist/src/main.js', 'web/dist/index.html']) {
    if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run npm run build first (npm run test:web does)`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'calcitrack-e2e-'));
  chmodSync(dataDir, 0o755); // the bundled PostgreSQL runs as the postgres user when root starts it
  const [port, pgPort] = [await freePort(), await freePort()];
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', PORT: String(port), BUNDLED_PG_PORT: String(pgPort), DATA_DIR: join(dataDir, 'data'), LOG_LEVEL: 'warn', WEBHOOK_ALLOW_HOSTS: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    await until('the service to answer /health', async () => child.exitCode !== null || (await fetch(`${url}/health`)).ok, 120_000);
    if (child.exitCode !== null) throw new Error('the service exited during start-up');
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${output}`, { cause: err });
  }
  return {
    url,
    log: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000))]);
      if (code === 'timeout') child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The API as a script sees it: for setting the scene and checking what was stored. */
export async function apiAs(base: string, email: string, password = 'calcitrack-demo') {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (!res.ok) throw new Error(`login of ${email}: ${res.status}`);
  const { accessToken } = (await res.json()) as { accessToken: string };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }> => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${accessToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : undefined) as T, headers: r.headers };
  };
  return { get: <T>(path: string) => call<T>('GET', path), post: <T>(path: string, body?: unknown) => call<T>('POST', path, body) };
}
