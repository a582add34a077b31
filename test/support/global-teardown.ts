import { rmSync } from 'node:fs';
import pg from 'pg';
import type { BundledPostgres } from '../../src/database/bundled-postgres';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as { __bundledPostgres?: BundledPostgres; __bundledDataDir?: string };
  if (g.__bundledPostgres) {
    await g.__bundledPostgres.stop();
    if (g.__bundledDataDir) rmSync(g.__bundledDataDir, { recursive: true, force: true });
  }
  const drop = process.env.CALCITRACK_TEST_DROP_DB;
  if (drop && process.env.DATABASE_URL) {
    const name = new URL(drop).pathname.slice(1);
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
}
