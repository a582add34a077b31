import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../users/user.entity';
import type { AuthUser } from './auth-user';

export const PUBLIC_KEY = 'calcitrack:public';
export const ROLES_KEY = 'calcitrack:roles';

/** No token needed (login, health, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The roles allowed on a route. A route with neither @Public nor @Roles is refused to everyone. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const ALL_ROLES: Role[] = ['staff', 'physician', 'admin'];
export const CLINICAL_ROLES: Role[] = ['staff', 'physician'];

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const user = ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
  if (!user) throw new Error('CurrentUser used on a public route');
  return user;
});
