import { createSecretKey, type KeyObject } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import type { Role } from '../users/user.entity';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { HIT, RateLimitStore, secondsToWait } from './rate-limit.store';
import type { AuthUser } from './auth-user';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { preparedPoolQuery } from '../database/prepared';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AccessClaims {
  sub: string;
  cid: string;
  role: Role;
  sid: string;
  typ: 'access';
}

const INVALID = 'the token is invalid or has expired';
/** The request limits' window: per minute. */
const WINDOW_SECONDS = 60;

/**
 * The request counted against its user's limit (the shared counter, `HIT`) and the token's user and
 * session read, in one statement: one round trip and one pooled connection for both. `$1` the
 * counter's key, `$2` its window in seconds, `$3` the user, `$4` the session, `$5` the clinic (the
 * token's). The counter's row is always returned; the user's columns are null when there is none.
 */
export const COUNT_AND_FIND_SESSION = `WITH hit AS (${HIT})
SELECT hit.hits, hit.seconds_left, u.id, u.clinic_id, u.role, u.active, (s.revoked_at IS NULL AND s.expires_at > now()) AS live
  FROM hit
  LEFT JOIN (users u JOIN sessions s ON s.clinic_id = u.clinic_id AND s.user_id = u.id AND s.id = $4)
    ON u.id = $3 AND u.clinic_id = $5`;

/**
 * Every route: a valid bearer token of an active user in a live session, whose current role is one
 * the route allows, within the request rate limit. The user and session are re-read on each
 * request, so a disabled account, a changed role or a logout take effect at once.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /** The rotated-out key as a key object made once (the current one is the JwtModule's). */
  private readonly previousKey: KeyObject | null;

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limits: RateLimitStore,
  ) {
    this.previousKey = config.jwtSecretPrevious ? createSecretKey(Buffer.from(config.jwtSecretPrevious, 'utf8')) : null;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const res = context.switchToHttp().getResponse<Response>();
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      await this.limit(res, `ip:${req.ip}`, this.config.rateLimitPerAddressPerMinute);
      return true;
    }

    const claims = await this.claimsOf(req.header('authorization'));
    const [row] = await preparedPoolQuery<SessionRow>(this.db, COUNT_AND_FIND_SESSION, [`user:${claims.sub}`, WINDOW_SECONDS, claims.sub, claims.sid, claims.cid]);
    if (!row.id || !row.active || !row.live || row.clinic_id !== claims.cid) {
      throw new DomainError(ErrorCode.Unauthenticated, INVALID);
    }
    const user: AuthUser = { id: row.id, clinicId: row.clinic_id, role: row.role!, sessionId: claims.sid };
    req.user = user; // a 429 is recorded with its user
    const wait = secondsToWait(row, this.config.rateLimitPerMinute);
    if (wait > 0) tooMany(res, wait);

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || !roles.includes(user.role)) {
      throw new DomainError(ErrorCode.Forbidden, `this action is not allowed for the ${user.role} role`);
    }
    return true;
  }

  /** One request more for `key` in the limit every instance shares; 429 with Retry-After beyond it. */
  private async limit(res: Response, key: string, perMinute: number): Promise<void> {
    const wait = await this.limits.hit(key, perMinute, WINDOW_SECONDS);
    if (wait > 0) tooMany(res, wait);
  }

  private verify(token: string): AccessClaims {
    try {
      return this.jwt.verify<AccessClaims>(token, { algorithms: ['HS256'] });
    } catch (err) {
      // during a key rotation, tokens signed with the previous key stay valid until they expire
      if (this.previousKey && (err as Error).name === 'JsonWebTokenError') {
        // JwtVerifyOptions types `secret` as string | Buffer; jsonwebtoken takes a KeyObject as well
        return this.jwt.verify<AccessClaims>(token, { algorithms: ['HS256'], secret: this.previousKey as unknown as Buffer });
      }
      throw err;
    }
  }

  /** The claims of a well-formed, validly signed, unexpired access token. */
  private async claimsOf(header: string | undefined): Promise<AccessClaims> {
    const token = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(header ?? '')?.[1];
    if (!token) throw new DomainError(ErrorCode.Unauthenticated, 'a bearer token is required');
    let claims: AccessClaims;
    try {
      claims = this.verify(token);
    } catch {
      throw new DomainError(ErrorCode.Unauthenticated, INVALID);
    }
    if (claims.typ !== 'access' || !UUID.test(String(claims.sub)) || !UUID.test(String(claims.sid)) || !UUID.test(String(claims.cid))) {
      throw new DomainError(ErrorCode.Unauthenticated, INVALID);
    }
    return claims;
  }

}

type SessionRow = { hits: number; seconds_left: number; id: string | null; clinic_id: string | null; role: Role | null; active: boolean | null; live: boolean | null };

function tooMany(res: Response, wait: number): never {
  res.setHeader('Retry-After', String(wait));
  throw new DomainError(ErrorCode.TooManyRequests, `too many requests; try again in ${wait} s`);
}
