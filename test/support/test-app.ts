import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp, type ConfigureOptions } from '../../src/app.setup';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { createDataSource } from '../../src/database/data-source';
import { createLogger, NestPinoLogger } from '../../src/common/logging/app-logger';
import type { DestinationStream } from 'pino';

export interface TestApp {
  app: INestApplication;
  /**
   * Fixtures and assertions: a session that sees every clinic (`app.rls_bypass`). The application
   * itself never uses it — its own DataSource is `appDb`, under row-level security.
   */
  db: DataSource;
  appDb: DataSource;
  config: AppConfig;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

export function testDatabaseUrl(): string {
  const url = process.env.CALCITRACK_TEST_DB_URL;
  if (!url) throw new Error('CALCITRACK_TEST_DB_URL is not set: run the tests with npm test');
  return url;
}

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    // limits far above what a test file sends; the tests of the limits set their own
    ...loadConfig({
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
      DATABASE_URL: testDatabaseUrl(),
      LOG_LEVEL: 'silent',
      BACKGROUND_JOBS: 'off',
      // webhooks the tests subscribe go to 127.0.0.1:9, where nothing listens: never off the machine
      WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
    }),
    ...overrides,
  };
}

/**
 * The real application (same module, same set-up as main.ts) on the test database. `logTo`
 * captures its structured log lines (otherwise they are discarded); `options.webAppDir` serves a
 * build of the web app at `/`.
 */
export async function createTestApp(overrides: Partial<AppConfig> = {}, logTo?: DestinationStream, options: ConfigureOptions = {}): Promise<TestApp> {
  const config = testConfig(overrides);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot({ config, databaseUrl: testDatabaseUrl() })] }).compile();
  const logger = createLogger(logTo ? 'info' : 'silent', logTo);
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: logTo ? new NestPinoLogger(logger) : false });
  // the web app only where a test asks for it (its own build): the API tests do not depend on web/dist
  configureApp(app, config, logger, { webAppDir: null, ...options });
  await app.init();
  const server = app.getHttpServer();
  const fixtures = createDataSource({ url: testDatabaseUrl(), poolSize: 4, bypassRowLevelSecurity: true });
  await fixtures.initialize();
  return {
    app,
    config,
    db: fixtures,
    appDb: app.get<DataSource>(getDataSourceToken()),
    http: () => request(server),
    close: async () => {
      await app.close();
      await fixtures.destroy();
    },
  };
}
