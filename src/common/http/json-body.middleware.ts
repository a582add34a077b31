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
export const MAX_BODY_DEPTH = 32;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface BodyProblem {
  field: string;
  message: string;
}

function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain a NUL character';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode text (a lone surrogate)';
  return null;
}

/**
 * What no DTO can check and PostgreSQL would refuse with an error, found in one iterative walk
 * (a deeply nested body cannot exhaust the stack): nesting deeper than MAX_BODY_DEPTH, keys that
 * the class mapping silently skips (`__proto__`, `constructor`), and text PostgreSQL cannot store
 * (NUL characters, lone UTF-16 surrogates).
 */
export function bodyProblem(body: unknown): BodyProblem | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) return { field: path || 'body', message: problem };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) return { field: path || 'body', message: `is nested deeper than ${MAX_BODY_DEPTH} levels` };
    const isArray = Array.isArray(value);
    for (const key of Object.keys(value)) {
      const here = isArray ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (!isArray && FORBIDDEN_KEYS.has(key)) return { field: here, message: 'is not a known field' };
      if (!isArray && textProblem(key)) return { field: path || 'body', message: `has a field name that ${textProblem(key)}` };
      stack.push({ value: (value as Record<string, unknown>)[key], path: here, depth: depth + 1 });
    }
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
    const problem = bodyProblem(req.body);
    if (problem) {
      res.status(400).json({
        statusCode: 400,
        error: STATUS_CODES[400],
        message: `${problem.field} ${problem.message}`,
        details: [{ field: problem.field, messages: [problem.message] }],
        ...((req as { id?: string }).id ? { requestId: (req as { id?: string }).id } : {}),
      });
      return;
    }
    next();
  };
  return [parse, parseErrors as unknown as RequestHandler, shape];
}
