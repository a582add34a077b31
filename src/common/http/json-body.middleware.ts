import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { STATUS_CODES } from 'node:http';

function reply(req: Request & { id?: string }, res: Response, statusCode: number, message: string): void {
  res.status(statusCode).json({
    statusCode,
    error: STATUS_CODES[statusCode],
    message: `body: ${message}`,
    details: [{ field: 'body', messages: [message] }],
    ...(req.id ? { requestId: req.id } : {}),
  });
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The path of the first key no DTO can declare: the class mapping silently skips these names, so
 * the validation pipe would never see them as unknown fields. They are refused here instead.
 */
export function forbiddenKeyPath(value: unknown, path = ''): string | null {
  if (value === null || typeof value !== 'object') return null;
  for (const key of Object.keys(value)) {
    const here = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (!Array.isArray(value) && FORBIDDEN_KEYS.has(key)) return here;
    const inner = forbiddenKeyPath((value as Record<string, unknown>)[key], here);
    if (inner) return inner;
  }
  return null;
}

/**
 * The JSON body parser, answering in the API's error shape: a malformed body is a 400 naming
 * `body` (the parser's own message, which quotes the body, is never echoed), a body that is not a
 * JSON object is a 400, a non-JSON body a 415 and an oversized one a 413.
 */
export function jsonBody(limit: string): RequestHandler[] {
  const parse = express.json({ limit, strict: true });
  const parseErrors = (err: { type?: string; status?: number }, req: Request, res: Response, next: NextFunction) => {
    if (err?.type === 'entity.too.large') return reply(req, res, 413, `the request body is larger than ${limit}`);
    if (err?.type === 'entity.parse.failed') return reply(req, res, 400, 'malformed JSON: the body must be a JSON object');
    if (err?.type === 'encoding.unsupported' || err?.type === 'charset.unsupported') return reply(req, res, 415, 'unsupported encoding or charset');
    if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) return reply(req, res, err.status, 'unreadable request body');
    next(err);
  };
  const shape = (req: Request, res: Response, next: NextFunction) => {
    if (!['POST', 'PUT', 'PATCH'].includes(req.method)) return next();
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is('application/json')) return reply(req, res, 415, 'send JSON with Content-Type: application/json');
    if (req.body === undefined) req.body = {};
    if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) return reply(req, res, 400, 'must be a JSON object');
    const forbidden = forbiddenKeyPath(req.body);
    if (forbidden) {
      res.status(400).json({
        statusCode: 400,
        error: STATUS_CODES[400],
        message: `${forbidden} is not a known field`,
        details: [{ field: forbidden, messages: ['is not a known field'] }],
        ...((req as { id?: string }).id ? { requestId: (req as { id?: string }).id } : {}),
      });
      return;
    }
    next();
  };
  return [parse, parseErrors as unknown as RequestHandler, shape];
}
