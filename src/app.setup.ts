import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from './config/app-config';
import { auditRequest, isAuditedPath, type AuditedRequest } from './audit/request-audit';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { DataSource } from 'typeorm';
import { jsonBody } from './common/http/json-body.middleware';
import { requestId } from './common/http/request-id.middleware';
import { strictValidationPipe } from './common/validation/validation-pipe';

export const JSON_BODY_LIMIT = '1mb';

/** Everything main.ts and the tests share: the app behaves the same in both. */
export function configureApp(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.set('trust proxy', 'loopback');
  app.use(requestId);
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

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Calcitrack API')
      .setDescription('Calcinosis follow-up: patients, deposits, visits and evaluations, labs, treatments, alerts and reports.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
