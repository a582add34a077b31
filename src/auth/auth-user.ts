import type { Role } from '../users/user.entity';

/** Who is calling: set by the auth guard on every authenticated request. */
export interface AuthUser {
  id: string;
  clinicId: string;
  role: Role;
  /** the login session the token belongs to (absent for work done outside a request) */
  sessionId?: string;
}
