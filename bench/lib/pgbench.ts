import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** pgbench from the machine's PostgreSQL 15 client tools (it works against the bundled 18 server too). */
export const PGBENCH = process.env.PGBENCH ?? '/usr/lib/postgresql/15/bin/pgbench';

export interface PgbenchResult {
  script: 'tpcb-like' | 'select-only';
  clients: number;
  seconds: number;
  tps: number;
  latencyAvgMs: number;
  failed: number;
}

function envOf(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  return {
    ...process.env,
    PGHOST: u.hostname,
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username),
    PGPASSWORD: decodeURIComponent(u.password),
    PGDATABASE: decodeURIComponent(u.pathname.slice(1)),
  };
}

function run(url: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(PGBENCH, args, { env: envOf(url), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`pgbench ${args.join(' ')} exited with ${code}:\n${out.slice(-2000)}`))));
  });
}

export function pgbenchAvailable(): boolean {
  return existsSync(PGBENCH);
}

/** pgbench's own tables at `scale` (100,000 accounts per unit), generated server-side, vacuumed, with keys. */
export async function pgbenchInit(url: string, scale: number): Promise<void> {
  await run(url, ['-i', '-s', String(scale), '-I', 'dtGvp', '-q']);
}

export async function pgbenchRun(url: string, script: PgbenchResult['script'], clients: number, seconds: number): Promise<PgbenchResult> {
  const out = await run(url, ['-b', script, '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(seconds), '-n']);
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? NaN);
  return {
    script,
    clients,
    seconds,
    tps: num(/tps = ([\d.]+) \(without initial connection time\)/),
    latencyAvgMs: num(/latency average = ([\d.]+) ms/),
    failed: num(/number of failed transactions: (\d+)/) || 0,
  };
}
