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

export async function migrate(url: string): Promise<void> {
  const dataSource = createDataSource({ url, poolSize: 2 }); // one holds the migration lock
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
