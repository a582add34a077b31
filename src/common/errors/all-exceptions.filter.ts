import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { DomainError, FieldError } from './domain-error';
import { httpStatusOf } from './http-status.util';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: FieldError[];
  requestId?: string;
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006']);

function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  if (code && CONNECTION_ERRORS.has(code)) return true;
  const msg = e?.message ?? '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established/i.test(msg);
}

/** Turns every error into the one error body; a 500 never shows internals, and names its request. */
/** Records a request that failed (denied, not found, rejected, error) before its answer leaves. */
export type FailureAudit = (req: Request, statusCode: number) => Promise<void>;

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly audit?: FailureAudit) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request & { id?: string }>();
    const body = this.toBody(exception, req);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const send = () => {
      if (!res.headersSent) res.status(body.statusCode).json(body);
    };
    if (!this.audit) return send();
    this.audit(req, body.statusCode)
      .catch((err: Error) => this.logger.warn(`could not write the audit event of request ${req.id ?? '-'}: ${err.name}`))
      .finally(send);
  }

  private toBody(exception: unknown, req: Request & { id?: string }): ErrorBody {
    const requestId = req.id;
    const make = (statusCode: number, message: string, details?: FieldError[]): ErrorBody => ({
      statusCode,
      error: STATUS_CODES[statusCode] ?? 'Error',
      message,
      ...(details ? { details } : {}),
      ...(requestId ? { requestId } : {}),
    });

    if (exception instanceof DomainError) {
      return make(httpStatusOf(exception.code), exception.message, exception.details);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : Array.isArray((response as { message?: unknown }).message)
            ? ((response as { message: string[] }).message).join('; ')
            : String((response as { message?: unknown }).message ?? exception.message);
      return make(status, message);
    }
    // Errors raised by Express' body parser before any handler ran.
    const parserError = exception as { type?: string; status?: number };
    if (parserError?.type === 'entity.parse.failed') return make(HttpStatus.BAD_REQUEST, 'body: malformed JSON', [{ field: 'body', messages: ['malformed JSON'] }]);
    if (parserError?.type === 'entity.too.large') return make(HttpStatus.PAYLOAD_TOO_LARGE, 'body: request body is too large');
    if (parserError?.type === 'encoding.unsupported' || parserError?.type === 'charset.unsupported') {
      return make(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'body: unsupported encoding');
    }
    if (typeof parserError?.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
      return make(parserError.status, 'bad request');
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`database unavailable (request ${requestId ?? '-'})`);
      return make(HttpStatus.SERVICE_UNAVAILABLE, 'the database is unavailable; try again shortly');
    }
    // Only the error's class and code: driver messages can quote row values (patient data).
    const e = exception as { name?: string; code?: string; stack?: string };
    this.logger.error(`unhandled ${e?.name ?? 'error'}${e?.code ? ` (${e.code})` : ''} in request ${requestId ?? '-'}`, e?.stack?.split('\n').slice(1, 6).join('\n'));
    return make(HttpStatus.INTERNAL_SERVER_ERROR, 'internal error');
  }
}
