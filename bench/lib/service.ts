import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { freePort } from './database';

/** The built service, `node dist/src/main.js`, as `npm start` runs it, pointed at the bench database. */
export interface Service {
  child: ChildProcess;
  pid: number;
  port: number;
  /** milliseconds from spawn to the first healthy answer */
  startMs: number;
  stop(): Promise<void>;
}

/** The project folder: the first parent holding the project's package.json (compiled or not). */
export const ROOT = (() => {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'calcitrack') return dir;
  }
  return resolve('.');
})();
const MAIN = join(ROOT, 'dist', 'src', 'main.js');

export function assertBuilt(): void {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (npm run bench does)`);
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpGet({ host: '127.0.0.1', port, path: '/health', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(1000, () => req.destroy());
  });
}

export interface StartOptions {
  databaseUrl: string;
  jwtSecret: string;
  workDir: string;
  /** extra node flags, e.g. --cpu-prof */
  nodeFlags?: string[];
  logFile: string;
}

/**
 * Only DATABASE_URL, JWT_SECRET, PORT and DATA_DIR are set: every other setting is `npm start`'s
 * default (LOG_LEVEL info, rate limits, pool size). The service logs to a file, as under a process
 * manager, so the load generator does not pay for reading its log.
 */
export async function startService(options: StartOptions): Promise<Service> {
  assertBuilt();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'TZ']) if (process.env[key] !== undefined) env[key] = process.env[key];
  Object.assign(env, { DATABASE_URL: options.databaseUrl, JWT_SECRET: options.jwtSecret, PORT: String(port), DATA_DIR: join(options.workDir, 'service-data') });
  const log = openSync(options.logFile, 'a');
  const t0 = Date.now();
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), MAIN], { cwd: ROOT, env, stdio: ['ignore', log, log] });
  closeSync(log);
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  const deadline = Date.now() + 60_000;
  while (!(await healthy(port))) {
    if (exited !== null) throw new Error(`the service exited with code ${exited} before listening; its log:\n${tail(options.logFile)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service did not answer /health within 60 s; its log:\n${tail(options.logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const startMs = Date.now() - t0;
  return {
    child,
    pid: child.pid!,
    port,
    startMs,
    stop: async () => {
      if (exited !== null) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await done;
      clearTimeout(timer);
    },
  };
}

export function newJwtSecret(): string {
  return randomBytes(48).toString('base64url');
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Resident memory of a process, in MB: now (VmRSS) and its peak (VmHWM). */
export function memoryOf(pid: number): { rssMb: number; hwmMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}
