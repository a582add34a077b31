import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { BundledPostgres } from '../../src/database/bundled-postgres';
import { migrate } from '../../src/database/database-runtime';

/**
 * One database for the whole run: a fresh bundled cluster, or a fresh database on the server at
 * DATABASE_URL. Each test file then creates its own clinic, so files never see each other's rows.
 */
async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

async function createFreshDatabase(serverUrl: string): Promise<string> {
  const name = `calcitrack_test_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export default async function globalSetup(): Promise<void> {
  const external = process.env.DATABASE_URL;
  let url: string;
  if (external) {
    url = await createFreshDatabase(external);
    process.env.CALCITRACK_TEST_DROP_DB = url;
  } else {
    const dataDir = resolve('.data', `test-${process.pid}`);
    rmSync(dataDir, { recursive: true, force: true });
    const bundled = new BundledPostgres({ dataDir, port: await freePort() });
    url = await bundled.start();
    (globalThis as { __bundledPostgres?: BundledPostgres }).__bundledPostgres = bundled;
    (globalThis as { __bundledDataDir?: string }).__bundledDataDir = join(dataDir);
  }
  await migrate(url);
  process.env.CALCITRACK_TEST_DB_URL = url;
}
