import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';

/** Paths the service itself answers; everything else that a browser navigates to is the web app. */
export function isServicePath(path: string): boolean {
  return /^\/(api|docs|docs-json|health)(\/|$)/.test(path);
}

export function isDocsPath(path: string): boolean {
  return path === '/docs' || path.startsWith('/docs/') || path.startsWith('/docs-json');
}

/** The built web app (`npm run build` writes it to web/dist), or null when it has not been built. */
export function defaultWebAppDir(): string | null {
  const dir = resolve(process.cwd(), 'web', 'dist');
  return existsSync(join(dir, 'index.html')) ? dir : null;
}

const SHARED_DIRECTIVES = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'font-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
  'upgrade-insecure-requests': null,
};

/**
 * The Content-Security-Policy of each part: the web app and the API get a strict one (scripts and
 * styles only from the service's own files, no inline script, nothing loaded from elsewhere);
 * Swagger UI at /docs loads an inline script and styles of its own, so only /docs allows them.
 */
export function securityHeaders(): RequestHandler {
  const common = { strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true } };
  const strict = helmet({
    ...common,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        ...SHARED_DIRECTIVES,
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'connect-src': ["'self'"],
      },
    },
  });
  const docs = helmet({
    ...common,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        ...SHARED_DIRECTIVES,
        'script-src': ["'self'", "'unsafe-inline'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'", "'unsafe-inline'", 'https:'],
        'img-src': ["'self'", 'data:'],
      },
    },
  });
  return (req, res, next) => (isDocsPath(req.path) ? docs : strict)(req, res, next);
}

/**
 * Serves the built web app at `/`: hashed assets under /assets with a year's cache (their names
 * change with their content), other files of the build as they are, and every client route (a
 * browser navigating to /patients/…) gets index.html, never cached so a new build is seen at once.
 * /api, /docs and /health are never touched, so an unknown API route stays a JSON 404. These are
 * not API requests: they write no audit event.
 */
export function webAppMiddleware(dir: string): RequestHandler[] {
  // read per request (it is small): a rebuild of the app is served without restarting the service
  const indexFile = join(dir, 'index.html');
  const assets = express.static(dir, { immutable: true, maxAge: '365d', index: false, fallthrough: true });
  const files = express.static(dir, { index: false, maxAge: '1h', fallthrough: true });
  const sendIndex = (res: Response, next: NextFunction) => {
    readFile(indexFile).then((html) => {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Cache-Control', 'no-cache');
      // revalidated on every load: an unchanged page is a 304 (Express answers it from If-None-Match)
      res.setHeader('ETag', `W/"${createHash('sha1').update(html).digest('base64url')}"`);
      res.status(200).send(html);
    }, next);
  };
  const onlyGet = (handler: RequestHandler): RequestHandler => (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isServicePath(req.path)) return next();
    handler(req, res, next);
  };
  return [
    (req: Request, res: Response, next: NextFunction) => {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.path.startsWith('/assets/')) return next();
      assets(req, res, () => {
        // a missing hashed file is a 404, never the page (a stale tab must not parse HTML as a script)
        res.status(404).type('text/plain').send('not found');
      });
    },
    onlyGet((req, res, next) => (req.path === '/' || req.path === '/index.html' ? sendIndex(res, next) : files(req, res, next))),
    onlyGet((req, res, next) => {
      // a client route: a path without a file extension that a browser asks a page for
      const lastSegment = req.path.slice(req.path.lastIndexOf('/') + 1);
      if (lastSegment.includes('.') || !req.accepts('html')) return next();
      sendIndex(res, next);
    }),
  ];
}
