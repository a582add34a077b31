import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { createLogger } from '../src/common/logging/app-logger';
import { loadConfig } from '../src/config/app-config';

/**
 * The real application, alone in its process so the benchmark can read its memory without the
 * client's buffers: DATABASE_URL and JWT_SECRET come from the benchmark; it prints its port.
 */
async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', JOB_INTERVAL_MS: '0' });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, databaseUrl: config.databaseUrl! }), {
    bodyParser: false,
    logger: false,
  });
  configureApp(app, config, createLogger('silent'));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  process.stderr.write(`export-server: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
