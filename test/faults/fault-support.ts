import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { createLogger } from '../../src/common/logging/app-logger';
import { loadConfig } from '../../src/config/app-config';
import { BundledPostgres } from '../../src/database/bundled-postgres';
import { createDataSource } from '../../src/database/data-source';
import { migrate } from '../../src/database/database-runtime';

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

/** A PostgreSQL of the drill's own, in a throwaway folder the `postgres` user can enter. */
export async function ownPostgres(): Promise<{ pg: BundledPostgres; url: string; dataDir: string; dispose: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'calcitrack-fault-'));
  chmodSync(dataDir, 0o755);
  const pg = new BundledPostgres({ dataDir, port: await freePort() });
  const url = await pg.start();
  await migrate(url);
  return {
    pg,
    url,
    dataDir,
    dispose: async () => {
      await pg.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function appOn(url: string): Promise<{ app: INestApplication; http: () => ReturnType<typeof request>; fixtures: ReturnType<typeof createDataSource> }> {
  const config = {
    ...loadConfig({ JWT_SECRET: 'fault-secret-fault-secret-fault-secret-01', DATABASE_URL: url, LOG_LEVEL: 'silent', BACKGROUND_JOBS: 'off', RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000', LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' }),
  };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot({ config, databaseUrl: url })] }).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
  configureApp(app, config, createLogger('silent'));
  await app.init();
  const fixtures = createDataSource({ url, poolSize: 2, bypassRowLevelSecurity: true });
  await fixtures.initialize();
  const server = app.getHttpServer();
  return { app, http: () => request(server), fixtures };
}

/** Polls `check` every 50 ms until it holds, failing after `timeoutMs`: waiting on a condition, not guessing a delay. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
