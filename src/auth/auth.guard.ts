import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { User, type Role } from '../users/user.entity';
import type { AuthUser } from './auth-user';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AccessClaims {
  sub: string;
  cid: string;
  role: Role;
  typ: 'access';
}

/**
 * Every route: a valid bearer token of an active user, whose current role is one the route allows.
 * The user is re-read on each request, so a disabled account or a changed role takes effect at once.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const user = await this.authenticate(req.header('authorization'));
    req.user = user;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || !roles.includes(user.role)) {
      throw new DomainError(ErrorCode.Forbidden, `this action is not allowed for the ${user.role} role`);
    }
    return true;
  }

  private async authenticate(header: string | undefined): Promise<AuthUser> {
    const token = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(header ?? '')?.[1];
    if (!token) throw new DomainError(ErrorCode.Unauthenticated, 'a bearer token is required');
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(token, { algorithms: ['HS256'] });
    } catch {
      throw new DomainError(ErrorCode.Unauthenticated, 'the token is invalid or has expired');
    }
    if (claims.typ !== 'access' || typeof claims.sub !== 'string' || !UUID.test(claims.sub)) {
      throw new DomainError(ErrorCode.Unauthenticated, 'the token is invalid or has expired');
    }
    const user = await this.db
      .getRepository(User)
      .findOne({ where: { id: claims.sub }, select: { id: true, clinicId: true, role: true, active: true } });
    if (!user || !user.active || user.clinicId !== claims.cid) {
      throw new DomainError(ErrorCode.Unauthenticated, 'the token is invalid or has expired');
    }
    return { id: user.id, clinicId: user.clinicId, role: user.role };
  }
}
