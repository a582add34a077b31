import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { BundledPostgres } from '../../src/database/bundled-postgres';

/**
 * The benchmark's own database server: a throwaway bundled PostgreSQL (the one `npm start` runs, in a
 * temporary folder, on a free port, restarted once with pg_stat_statements preloaded), or, with
 * DATABASE_URL, fresh databases on that server, dropped at the end.
 */
export interface BenchDatabase {
  /** the service's database, reached as the service's role */
  url: string;
  /** a second database on the same server for pgbench's tables */
  pgbenchUrl: string;
  /** a role that may read pg_stat_statements and reset it (the bundled superuser, or the given role) */
  adminUrl: string;
  kind: 'bundled' | 'external';
  /** a folder of our own for logs and profiles */
  workDir: string;
  serverVersion: string;
  /** pg_stat_statements is loaded and created in the service's database */
  statStatements: boolean;
  cleanup(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function enableStatStatements(adminUrl: string): Promise<boolean> {
  return withClient(adminUrl, async (c) => {
    const { rows } = await c.query<{ setting: string }>(`SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries'`);
    if (!rows[0]?.setting.split(',').map((s) => s.trim()).includes('pg_stat_statements')) return false;
    try {
      await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await c.query('SELECT pg_stat_statements_reset()');
      return true;
    } catch {
      return false;
    }
  });
}

async function version(url: string): Promise<string> {
  return withClient(url, async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v);
}

export async function benchDatabase(): Promise<BenchDatabase> {
  const workDir = mkdtempSync(join(tmpdir(), 'calcitrack-bench-'));
  chmodSync(workDir, 0o755); // the bundled server runs as "postgres" when we are root
  const external = process.env.DATABASE_URL?.trim();
  if (external) {
    const name = `calcitrack_bench_${process.pid}`;
    await withClient(external, async (c) => {
      await c.query(`CREATE DATABASE ${name}`);
      await c.query(`CREATE DATABASE ${name}_pgbench`);
    });
    const url = withDatabase(external, name);
    return {
      url,
      pgbenchUrl: withDatabase(external, `${name}_pgbench`),
      adminUrl: url,
      kind: 'external',
      workDir,
      serverVersion: await version(url),
      statStatements: await enableStatStatements(url),
      cleanup: async () => {
        await withClient(external, async (c) => {
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await c.query(`DROP DATABASE IF EXISTS ${name}_pgbench WITH (FORCE)`);
        });
        rmSync(workDir, { recursive: true, force: true });
      },
    };
  }

  const dataDir = join(workDir, 'postgres');
  let bundled = new BundledPostgres({ dataDir, port: await freePort() });
  const first = await bundled.start();
  const password = readFileSync(join(dataDir, 'pg-password'), 'utf8').trim();
  const port = new URL(first).port;
  const superuser = (db: string) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;
  // pg_stat_statements must be preloaded: set it once, then restart the server
  await withClient(superuser('postgres'), async (c) => {
    await c.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
    await c.query(`ALTER SYSTEM SET pg_stat_statements.track_utility = on`);
    await c.query(`CREATE DATABASE pgbench OWNER postgres`);
  });
  await bundled.stop();
  bundled = new BundledPostgres({ dataDir, port: Number(port) });
  const url = await bundled.start();
  const adminUrl = superuser('calcitrack');
  return {
    url,
    pgbenchUrl: superuser('pgbench'),
    adminUrl,
    kind: 'bundled',
    workDir,
    serverVersion: await version(url),
    statStatements: await enableStatStatements(adminUrl),
    cleanup: async () => {
      await bundled.stop();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
