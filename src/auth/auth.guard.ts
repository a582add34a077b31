import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import type { Role } from '../users/user.entity';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { RateLimiter } from './rate-limiter';
import type { AuthUser } from './auth-user';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AccessClaims {
  sub: string;
  cid: string;
  role: Role;
  sid: string;
  typ: 'access';
}

const INVALID = 'the token is invalid or has expired';

/**
 * Every route: a valid bearer token of an active user in a live session, whose current role is one
 * the route allows, within the request rate limit. The user and session are re-read on each
 * request, so a disabled account, a changed role or a logout take effect at once.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly perUser: RateLimiter;
  private readonly perAddress: RateLimiter;

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.perUser = new RateLimiter(config.rateLimitPerMinute, 60_000);
    this.perAddress = new RateLimiter(config.rateLimitPerMinute, 60_000);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const res = context.switchToHttp().getResponse<Response>();
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      this.limit(res, this.perAddress, `ip:${req.ip}`);
      return true;
    }

    const user = await this.authenticate(req.header('authorization'));
    req.user = user;
    this.limit(res, this.perUser, user.id);

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || !roles.includes(user.role)) {
      throw new DomainError(ErrorCode.Forbidden, `this action is not allowed for the ${user.role} role`);
    }
    return true;
  }

  private limit(res: Response, limiter: RateLimiter, key: string): void {
    const wait = limiter.take(key);
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      throw new DomainError(ErrorCode.TooManyRequests, `too many requests; try again in ${wait} s`);
    }
  }

  private async verify(token: string): Promise<AccessClaims> {
    try {
      return await this.jwt.verifyAsync<AccessClaims>(token, { algorithms: ['HS256'] });
    } catch (err) {
      // during a key rotation, tokens signed with the previous key stay valid until they expire
      if (this.config.jwtSecretPrevious && (err as Error).name === 'JsonWebTokenError') {
        return this.jwt.verifyAsync<AccessClaims>(token, { algorithms: ['HS256'], secret: this.config.jwtSecretPrevious });
      }
      throw err;
    }
  }

  private async authenticate(header: string | undefined): Promise<AuthUser> {
    const token = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(header ?? '')?.[1];
    if (!token) throw new DomainError(ErrorCode.Unauthenticated, 'a bearer token is required');
    let claims: AccessClaims;
    try {
      claims = await this.verify(token);
    } catch {
      throw new DomainError(ErrorCode.Unauthenticated, INVALID);
    }
    if (claims.typ !== 'access' || !UUID.test(String(claims.sub)) || !UUID.test(String(claims.sid)) || !UUID.test(String(claims.cid))) {
      throw new DomainError(ErrorCode.Unauthenticated, INVALID);
    }
    const [row]: { id: string; clinic_id: string; role: Role; active: boolean; live: boolean }[] = await this.db.query(
      `SELECT u.id, u.clinic_id, u.role, u.active, (s.revoked_at IS NULL AND s.expires_at > now()) AS live
         FROM users u JOIN sessions s ON s.clinic_id = u.clinic_id AND s.user_id = u.id AND s.id = $2
        WHERE u.id = $1 AND u.clinic_id = $3`,
      [claims.sub, claims.sid, claims.cid],
    );
    if (!row || !row.active || !row.live || row.clinic_id !== claims.cid) {
      throw new DomainError(ErrorCode.Unauthenticated, INVALID);
    }
    return { id: row.id, clinicId: row.clinic_id, role: row.role, sessionId: claims.sid };
  }
}
