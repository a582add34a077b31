import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config';
import { createLogger, NestPinoLogger } from './common/logging/app-logger';
import { migrate, startDatabase, type DatabaseRuntime } from './database/database-runtime';
import { bootstrapData } from './seed/bootstrap-data';
import { DEMO_PASSWORD } from './seed/demo-seed';
import type { AddressInfo } from 'node:net';
import type { Logger as PinoLogger } from 'pino';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`configuration: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const appLogger = createLogger(config.logLevel, undefined, config.logFormat);
  Logger.overrideLogger(new NestPinoLogger(appLogger));
  const logger = new Logger('Calcitrack');
  let database: DatabaseRuntime | null = null;
  let stopping = false;

  const shutdown = async (signal: string, app?: NestExpressApplication) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: finishing requests in flight, then stopping`);
    try {
      await app?.close();
      await database?.bundled?.stop();
      logger.log('stopped cleanly');
      process.exit(0);
    } catch (err) {
      logger.error(`error during shutdown: ${(err as Error).message}`);
      process.exit(1);
    }
  };

  try {
    database = await startDatabase(config);
    logger.log(database.bundled ? `bundled PostgreSQL started (data in ${config.dataDir})` : 'using the PostgreSQL server at DATABASE_URL');
    const warning = await migrate(database.url);
    if (warning) logger.warn(warning);

    const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, databaseUrl: database.url }), {
      bodyParser: false,
      logger: new NestPinoLogger(appLogger),
    });
    configureApp(app, config, appLogger);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown(signal, app));

    const { demoUsers } = await bootstrapData(app, config, { demo: database.bundled !== null, log: (line) => logger.log(line) });
    await app.listen(config.port);
    announce(appLogger, (app.getHttpServer().address() as AddressInfo).port, demoUsers);
  } catch (err) {
    if (err instanceof ConfigError) logger.error(`configuration: ${err.message}`);
    else logger.error(`start-up failed: ${(err as Error)?.message ?? String(err)}`);
    await database?.bundled?.stop().catch(() => undefined);
    process.exit(1);
  }
}

/** What a newcomer needs from the start-up output: where the app and the docs are, and who can log in. */
function announce(log: PinoLogger, port: number, demoUsers: string[] | null): void {
  const appUrl = `http://localhost:${port}/`;
  const docsUrl = `http://localhost:${port}/docs`;
  log.info({ appUrl, docsUrl }, `Calcitrack is ready: open ${appUrl} — API docs at ${docsUrl}`);
  if (demoUsers) {
    log.info({ demoUsers }, `demo users: ${demoUsers.join(', ')} — password "${DEMO_PASSWORD}" (bundled database, demo data)`);
  }
}

void main();
