import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { AuthUser } from '../../auth/auth-user';

/**
 * One line per request when it finishes: the route pattern (`/api/v1/patients/:id`, never the
 * query string), status, duration, request id, and the caller's user and clinic ids.
 */
export function requestLog(logger: Logger) {
  return (req: Request & { id?: string; user?: AuthUser }, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : '(unmatched)';
      logger.info(
        {
          requestId: req.id,
          method: req.method,
          route,
          status: res.statusCode,
          ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
          userId: req.user?.id,
          clinicId: req.user?.clinicId,
        },
        'request',
      );
    });
    next();
  };
}
