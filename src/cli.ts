import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { provisionClinic } from './clinics/clinic-provisioning';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config';
import { APP_ROLE, BundledPostgres } from './database/bundled-postgres';
import { createDataSource } from './database/data-source';
import { migrate } from './database/database-runtime';
import { verifyAuditChains } from './audit/audit-verify';

const USAGE = `usage: npm run cli -- <command>

commands:
  create-clinic --name <name> --admin-email <email> [--admin-name <name>]
      creates a clinic and its first admin (password from ADMIN_PASSWORD); prints {"clinicId","adminId"}
  migration:run
      applies pending migrations
  audit:verify
      checks every clinic's audit hash chain; names the first altered row of each broken chain (exit 1)

Uses DATABASE_URL when set; otherwise the bundled PostgreSQL under DATA_DIR (the running one, if the
service is up, or started for the command).`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The database to work on, and how to let go of it afterwards. */
async function openDatabase(config: AppConfig): Promise<{ url: string; release: () => Promise<void> }> {
  if (config.databaseUrl) return { url: config.databaseUrl, release: async () => undefined };
  const dataDir = join(config.dataDir, 'postgres');
  const pidFile = join(dataDir, 'pg', 'postmaster.pid');
  if (existsSync(pidFile)) {
    // the service is running: talk to its server instead of starting a second one on the same files
    const lines = readFileSync(pidFile, 'utf8').split('\n');
    const pid = Number(lines[0]);
    if (isAlive(pid)) {
      const password = readFileSync(join(dataDir, 'pg-password'), 'utf8').trim();
      return { url: `postgres://${APP_ROLE}:${encodeURIComponent(password)}@127.0.0.1:${lines[3]}/${APP_ROLE}`, release: async () => undefined };
    }
  }
  const bundled = new BundledPostgres({ dataDir, port: config.bundledPostgresPort });
  const url = await bundled.start();
  return { url, release: () => bundled.stop() };
}

async function createClinic(config: AppConfig, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { name: { type: 'string' }, 'admin-email': { type: 'string' }, 'admin-name': { type: 'string' } }, strict: true });
  const name = values.name?.trim();
  const email = values['admin-email']?.trim().toLowerCase();
  const password = process.env.ADMIN_PASSWORD ?? '';
  if (!name) throw new ConfigError('--name is required');
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) throw new ConfigError('--admin-email must be an email address');
  if (password.length < 12) throw new ConfigError('ADMIN_PASSWORD must be set, at least 12 characters');

  const db = await openDatabase(config);
  try {
    await migrate(db.url);
    const dataSource = createDataSource({ url: db.url, poolSize: 1 });
    await dataSource.initialize();
    try {
      const result = await provisionClinic(dataSource, { name, adminEmail: email, adminPassword: password, adminName: values['admin-name'] });
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await db.release();
  }
}

async function migrationRun(config: AppConfig): Promise<void> {
  const db = await openDatabase(config);
  try {
    await migrate(db.url);
    console.error('migrations applied');
  } finally {
    await db.release();
  }
}

async function auditVerify(config: AppConfig): Promise<void> {
  const db = await openDatabase(config);
  try {
    const dataSource = createDataSource({ url: db.url, poolSize: 1 });
    await dataSource.initialize();
    try {
      const { checked, breaks } = await verifyAuditChains(dataSource);
      for (const b of breaks) {
        console.error(`chain of clinic ${b.clinicId ?? '(none)'}: first bad row seq ${b.seq}, id ${b.id}: ${b.problem}`);
      }
      process.stdout.write(`${JSON.stringify({ checked, intact: breaks.length === 0, breaks })}\n`);
      if (breaks.length) process.exitCode = 1;
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await db.release();
  }
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  try {
    const config = loadConfig();
    if (command === 'create-clinic') await createClinic(config, args);
    else if (command === 'migration:run') await migrationRun(config);
    else if (command === 'audit:verify') await auditVerify(config);
    else {
      console.error(USAGE);
      process.exitCode = command ? 2 : 0;
    }
  } catch (err) {
    const e = err as { message?: string; code?: string };
    console.error(`error: ${e.code === '23505' ? 'a user with this email already exists' : (e.message ?? String(err))}`);
    process.exitCode = 1;
  }
}

void main();
