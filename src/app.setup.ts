import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from './config/app-config';
import { auditRequest, isAuditedPath, type AuditedRequest } from './audit/request-audit';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { requestLog } from './common/logging/request-log.middleware';
import { addValidationConstraints } from './common/openapi/validation-constraints';
import { jsonBody } from './common/http/json-body.middleware';
import { requestId } from './common/http/request-id.middleware';
import { strictValidationPipe } from './common/validation/validation-pipe';
import { defaultWebAppDir, securityHeaders, webAppMiddleware } from './web/web-app';

export const JSON_BODY_LIMIT = '1mb';

export interface ConfigureOptions {
  /** The built web app served at `/`; by default web/dist when it has been built, else none. */
  webAppDir?: string | null;
}

/** Everything main.ts and the tests share: the app behaves the same in both. */
export function configureApp(app: INestApplication, config: AppConfig, logger: Logger, options: ConfigureOptions = {}): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  // No ETag hashed from every answer's body (Express's default): API answers are never cached
  // (no-store) and the versioned records set their own ETag, their version. Hashing cost ~50 µs an
  // inbox page. The web app's index.html sets its own (src/web/web-app.ts).
  express.set('etag', false);
  express.set('trust proxy', 'loopback');
  app.use(requestId);
  app.use(requestLog(logger));
  app.use(securityHeaders());
  const webAppDir = options.webAppDir === undefined ? defaultWebAppDir() : options.webAppDir;
  if (webAppDir) app.use(...webAppMiddleware(webAppDir));
  app.use((req: { path: string }, res: { setHeader: (k: string, v: string) => void }, next: () => void) => {
    // clinical data is never cached by a browser or a proxy
    if (req.path.startsWith('/api/')) res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(...jsonBody(JSON_BODY_LIMIT));
  if (config.corsOrigins.length) app.enableCors({ origin: config.corsOrigins, exposedHeaders: ['ETag', 'X-Request-Id'] });
  app.useGlobalPipes(strictValidationPipe());
  const dataSource = app.get(DataSource);
  app.useGlobalFilters(
    new AllExceptionsFilter(async (req, statusCode) => {
      // a login records its own outcome, with the account it was for
      if (!isAuditedPath(req.path) || req.path === '/api/v1/auth/login') return;
      await auditRequest(dataSource.manager, req as AuditedRequest, statusCode);
    }),
  );

  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}

/**
 * The OpenAPI document served at /docs-json. It needs only the controllers and DTOs, not a
 * database: scripts/generate-api-client.mjs builds it from an app in preview mode for the web
 * app's typed client.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  return addValidationConstraints(SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Calcitrack API')
      .setDescription('Calcinosis follow-up: patients, deposits, visits and evaluations, labs, treatments, alerts and reports.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  ));
}
