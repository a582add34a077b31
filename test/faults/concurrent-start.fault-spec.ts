import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { BundledPostgres } from '../../src/database/bundled-postgres';
import { provisionFirstClinic } from '../../src/clinics/clinic-provisioning';
import { createDataSource, MIGRATIONS } from '../../src/database/data-source';
import { migrate } from '../../src/database/database-runtime';
import { seedDemo } from '../../src/seed/demo-seed';
import { appOn, freePort } from './fault-support';

const INSTANCES = 3;
const ADMIN = { email: 'first-admin@concurrent.test', password: 'a long bootstrap passphrase' };

interface Instance {
  port: number;
  child: ChildProcess;
  output: string;
}

async function status(port: number, path: string, body?: unknown): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await res.arrayBuffer();
  return res.status;
}

/**
 * What a deployment with several replicas does on its first rollout: the built service, started
 * several times at the same moment on one empty database, each instance migrating and bootstrapping.
 */
describe('several instances started together on an empty database', () => {
  let dataDir: string;
  let server: BundledPostgres;
  let url: string;
  let db: pg.Client;
  const instances: Instance[] = [];

  beforeAll(async () => {
    expect(existsSync('dist/src/main.js')).toBe(true);
    dataDir = mkdtempSync(join(tmpdir(), 'calcitrack-concurrent-'));
    chmodSync(dataDir, 0o755);
    server = new BundledPostgres({ dataDir: join(dataDir, 'postgres'), port: await freePort() });
    url = await server.start(); // an empty database: no migration has run
    db = new pg.Client({ connectionString: url });
    await db.connect();
    await db.query(`SET app.rls_bypass = on`); // the counts look at every clinic

    const ports = await Promise.all(Array.from({ length: INSTANCES }, () => freePort()));
    for (const port of ports) {
      const child = spawn(process.execPath, ['dist/src/main.js'], {
        env: {
          ...process.env,
          DATABASE_URL: url,
          JWT_SECRET: 'concurrent-start-secret-concurrent-start-0123',
          BOOTSTRAP_CLINIC_NAME: 'First clinic',
          BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
          BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
          PORT: String(port),
          DATA_DIR: join(dataDir, `instance-${port}`),
          LOG_LEVEL: 'info',
          LOG_FORMAT: '', // the default: stdout is a pipe here, so JSON lines
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const instance: Instance = { port, child, output: '' };
      child.stdout?.on('data', (c: Buffer) => (instance.output += c.toString()));
      child.stderr?.on('data', (c: Buffer) => (instance.output += c.toString()));
      instances.push(instance);
    }
    // polls until every instance answers, and stops at once if one of them gave up
    const deadline = Date.now() + 120_000;
    for (;;) {
      const exited = instances.find((i) => i.child.exitCode !== null);
      if (exited) throw new Error(`an instance exited with ${exited.child.exitCode}:\n${exited.output}`);
      const statuses = await Promise.all(instances.map((i) => status(i.port, '/health').catch(() => 0)));
      if (statuses.every((s) => s === 200)) break;
      if (Date.now() > deadline) throw new Error(`not every instance answers /health: ${statuses.join(', ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 150_000);

  afterAll(async () => {
    for (const { child } of instances) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(instances.map(({ child }) => (child.exitCode === null ? new Promise((r) => child.once('exit', r)) : null)));
    await db?.end();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every instance serves: health, and a login of the bootstrapped admin', async () => {
    expect(instances.map((i) => i.child.exitCode)).toEqual(instances.map(() => null));
    expect(await Promise.all(instances.map((i) => status(i.port, '/health')))).toEqual(instances.map(() => 200));
    expect(await Promise.all(instances.map((i) => status(i.port, '/api/v1/auth/login', ADMIN)))).toEqual(instances.map(() => 200));
  });

  it('each instance writes JSON lines to its pipe, and its banner names the app and the docs', () => {
    for (const { port, output } of instances) {
      const lines = output.split('\n').filter(Boolean);
      expect(lines.filter((l) => { try { return typeof JSON.parse(l) !== 'object'; } catch { return true; } })).toEqual([]);
      const ready = lines.map((l) => JSON.parse(l)).find((e) => e.appUrl);
      expect(ready).toMatchObject({ appUrl: `http://localhost:${port}/`, docsUrl: `http://localhost:${port}/docs` });
      expect(ready.msg).toContain(`http://localhost:${port}/`);
    }
  });

  it('the database has exactly one clinic, one admin, one rule-settings version, and each migration once', async () => {
    const { rows: [counts] } = await db.query(`
      SELECT (SELECT count(*)::int FROM clinics) AS clinics,
             (SELECT count(*)::int FROM users WHERE role = 'admin') AS admins,
             (SELECT count(*)::int FROM users) AS users,
             (SELECT count(*)::int FROM rule_settings) AS rule_settings,
             (SELECT count(*)::int FROM migrations) AS migrations,
             (SELECT count(DISTINCT name)::int FROM migrations) AS distinct_migrations`);
    expect(counts).toEqual({ clinics: 1, admins: 1, users: 1, rule_settings: 1, migrations: MIGRATIONS.length, distinct_migrations: MIGRATIONS.length });
    // exactly one instance says it created the clinic; none failed
    const created = instances.filter((i) => i.output.includes('created the first clinic'));
    expect(created).toHaveLength(1);
    expect(instances.filter((i) => i.output.includes('start-up failed'))).toEqual([]);
  });

  it('the first-clinic bootstrap, run by three connections at the same moment on another empty database, creates one clinic', async () => {
    // the child processes above are staggered by their own start-up; here the three checks race for real
    const admin = new pg.Client({ host: '127.0.0.1', port: Number(new URL(url).port), user: 'postgres', password: readFileSync(join(dataDir, 'postgres', 'pg-password'), 'utf8').trim(), database: 'postgres' });
    await admin.connect();
    await admin.query(`CREATE DATABASE bootstrap_race OWNER ${new URL(url).username}`).finally(() => admin.end());
    const raceUrl = Object.assign(new URL(url), { pathname: '/bootstrap_race' }).toString();
    await migrate(raceUrl);
    const sources = Array.from({ length: 3 }, () => createDataSource({ url: raceUrl, poolSize: 1 }));
    await Promise.all(sources.map((s) => s.initialize()));
    try {
      const results = await Promise.all(sources.map((s) => provisionFirstClinic(s, { name: 'Raced clinic', adminEmail: ADMIN.email, adminPassword: ADMIN.password })));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(await sources[0].query(`SELECT (SELECT count(*)::int FROM clinics) AS clinics, (SELECT count(*)::int FROM users) AS users`)).toEqual([{ clinics: 1, users: 1 }]);
    } finally {
      await Promise.all(sources.map((s) => s.destroy()));
    }
  });

  it('the demo seed, run by three application instances at once on the same database, seeds one demo clinic', async () => {
    const apps = await Promise.all(Array.from({ length: 3 }, () => appOn(url)));
    try {
      const seeded = await Promise.all(apps.map(({ app }) => seedDemo(app)));
      expect(seeded.filter(Boolean)).toHaveLength(1);
      const { rows: [counts] } = await db.query(`
        SELECT (SELECT count(*)::int FROM clinics WHERE name = 'Demo Rheumatology Clinic') AS demo_clinics,
               (SELECT count(*)::int FROM users WHERE email LIKE '%@demo.local') AS demo_users,
               (SELECT count(*)::int FROM patients WHERE mrn LIKE 'DEMO-%') AS demo_patients`);
      expect(counts).toEqual({ demo_clinics: 1, demo_users: 3, demo_patients: 3 });
    } finally {
      for (const { app, fixtures } of apps) {
        await app.close();
        await fixtures.destroy();
      }
    }
  }, 120_000);
});
