import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { RateLimitStore } from '../src/auth/rate-limit.store';
import { createLogger } from '../src/common/logging/app-logger';
import { loadConfig } from '../src/config/app-config';

/**
 * The real application for the rate-limit benchmark, alone in its process: BENCH_LIMITER=on is the
 * service as shipped; =off is the same service with the limit check skipped (a store that counts
 * nothing), the baseline. DATABASE_URL and JWT_SECRET come from the benchmark; it prints its port.
 */
async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', JOB_INTERVAL_MS: '0' });
  const builder = Test.createTestingModule({ imports: [AppModule.forRoot({ config, databaseUrl: config.databaseUrl! })] });
  if (process.env.BENCH_LIMITER === 'off') builder.overrideProvider(RateLimitStore).useValue({ hit: async () => 0, onApplicationBootstrap() {}, onApplicationShutdown() {} });
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
  configureApp(app, config, createLogger('silent'));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  process.stderr.write(`rate-limit-server: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
