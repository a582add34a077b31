import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { BundledPostgres } from './bundled-postgres';
import { createDataSource, runMigrations } from './data-source';

export interface DatabaseRuntime {
  url: string;
  bundled: BundledPostgres | null;
}

/** DATABASE_URL when set; otherwise the bundled server, started under DATA_DIR. */
export async function startDatabase(config: AppConfig): Promise<DatabaseRuntime> {
  if (config.databaseUrl) return { url: config.databaseUrl, bundled: null };
  const bundled = new BundledPostgres({ dataDir: join(config.dataDir, 'postgres'), port: config.bundledPostgresPort });
  const url = await bundled.start();
  return { url, bundled };
}

/** Applies pending migrations; returns a warning when the role would not be held by row-level security. */
export async function migrate(url: string): Promise<string | null> {
  const dataSource = createDataSource({ url, poolSize: 2 }); // one holds the migration lock
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
    const [role]: { rolsuper: boolean; rolbypassrls: boolean }[] = await dataSource.query(
      'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
    );
    return role?.rolsuper || role?.rolbypassrls
      ? 'the database role is a superuser or has BYPASSRLS: row-level security does not restrain it; use an ordinary role that owns the database'
      : null;
  } finally {
    await dataSource.destroy();
  }
}
