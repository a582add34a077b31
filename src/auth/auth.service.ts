import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { writeAuditEvent, type AuditEventInput } from '../audit/audit-writer';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { User } from '../users/user.entity';
import { toUserSummary } from '../users/user.mapper';
import type { AuthUser } from './auth-user';
import type { AccessClaims } from './auth.guard';
import type { LoginResponseDto } from './dto/login.dto';
import { dummyPasswordHash, verifyPassword } from './password.util';
import { Session } from './session.entity';

export interface ClientInfo {
  ip: string | null;
  requestId: string | null;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const INVALID_REFRESH = 'the refresh token is invalid, expired or already used';

/**
 * Logins, refreshes and logouts. Failed logins are counted from the audit trail itself: past
 * `maxFailuresPerAccount` failures in the window the account is locked for the window, past
 * `maxFailuresPerAddress` the client address is; both answer 429 and are recorded.
 */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(email: string, password: string, client: ClientInfo): Promise<LoginResponseDto> {
    const user = await this.db.getRepository(User).findOne({ where: { email: email.trim().toLowerCase() } });
    const record = (outcome: AuditEventInput['outcome'], statusCode: number) =>
      this.audit('auth.login', user, outcome, statusCode, client);

    const lockedFor = await this.lockout(user, client.ip);
    if (lockedFor) {
      await record('denied', 429);
      throw new DomainError(ErrorCode.TooManyRequests, `too many failed logins ${lockedFor}; try again in ${this.config.loginThrottle.windowMinutes} minutes`);
    }
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !ok || !user.active) {
      await record('denied', 401);
      throw new DomainError(ErrorCode.Unauthenticated, 'wrong email or password');
    }
    const secret = randomBytes(32).toString('base64url');
    const session = await this.db.getRepository(Session).save(
      this.db.getRepository(Session).create({
        clinicId: user.clinicId,
        userId: user.id,
        refreshTokenHash: sha256(secret),
        expiresAt: new Date(Date.now() + this.config.sessionMaxHours * 3600_000),
      }),
    );
    await record('success', 200);
    return this.tokens(user, session, secret);
  }

  /** A refresh token works once: using an old one again revokes the whole session (it was stolen). */
  async refresh(refreshToken: string, client: ClientInfo): Promise<LoginResponseDto> {
    const [sessionId, secret] = refreshToken.split('.');
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(sessionId ?? '') || !secret) {
      throw new DomainError(ErrorCode.Unauthenticated, INVALID_REFRESH);
    }
    // the token names its session, not the session's clinic: look that up first, so the locking
    // read below is keyed by (clinic_id, id) like every other (one shard under Citus)
    const [owner]: { clinic_id: string }[] = await this.db.query('SELECT clinic_id FROM sessions WHERE id = $1', [sessionId]);
    const outcome = await this.db.transaction(async (manager) => {
      const session = owner
        ? await manager.getRepository(Session).findOne({ where: { clinicId: owner.clinic_id, id: sessionId }, lock: { mode: 'pessimistic_write' } })
        : null;
      if (!session || session.revokedAt || session.expiresAt.getTime() <= Date.now()) return { error: INVALID_REFRESH, user: null };
      const user = await manager.getRepository(User).findOne({ where: { id: session.userId, clinicId: session.clinicId } });
      const presented = Buffer.from(sha256(secret));
      const stored = Buffer.from(session.refreshTokenHash);
      if (presented.length !== stored.length || !timingSafeEqual(presented, stored)) {
        await this.revoke(manager, session, 'an old refresh token was used again');
        return { error: INVALID_REFRESH, user };
      }
      if (!user || !user.active) {
        await this.revoke(manager, session, 'account disabled');
        return { error: INVALID_REFRESH, user };
      }
      const next = randomBytes(32).toString('base64url');
      session.refreshTokenHash = sha256(next);
      session.refreshedAt = new Date();
      await manager.getRepository(Session).save(session);
      return { tokens: await this.tokens(user, session, next), user };
    });
    await this.audit('auth.refresh', outcome.user, outcome.tokens ? 'success' : 'denied', outcome.tokens ? 200 : 401, client);
    if (!outcome.tokens) throw new DomainError(ErrorCode.Unauthenticated, outcome.error ?? INVALID_REFRESH);
    return outcome.tokens;
  }

  async logout(actor: AuthUser): Promise<void> {
    if (actor.sessionId) await this.revoke(this.db.manager, { clinicId: actor.clinicId, id: actor.sessionId }, 'logout');
  }

  /** Ends every session of a user (an admin disabled the account). */
  async revokeAllSessions(manager: EntityManager, user: { clinicId: string; id: string }, reason: string): Promise<void> {
    await manager.query(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $3 WHERE clinic_id = $1 AND user_id = $2 AND revoked_at IS NULL`,
      [user.clinicId, user.id, reason],
    );
  }

  private async revoke(manager: EntityManager, session: { clinicId: string; id: string }, reason: string): Promise<void> {
    await manager.query(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $3 WHERE clinic_id = $1 AND id = $2 AND revoked_at IS NULL`,
      [session.clinicId, session.id, reason],
    );
  }

  private async tokens(user: User, session: Session, secret: string): Promise<LoginResponseDto> {
    const claims: AccessClaims = { sub: user.id, cid: user.clinicId, role: user.role, sid: session.id, typ: 'access' };
    const ttl = this.config.jwtTtlSeconds;
    // an access token never outlives its session
    const expiresIn = Math.max(1, Math.min(ttl, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000)));
    const accessToken = await this.jwt.signAsync(claims, { expiresIn, algorithm: 'HS256' });
    return { accessToken, expiresIn, refreshToken: `${session.id}.${secret}`, sessionExpiresAt: session.expiresAt, user: toUserSummary(user) };
  }

  /** Why a login is refused before its password is even checked, or null. */
  private async lockout(user: User | null, ip: string | null): Promise<string | null> {
    const { maxFailuresPerAccount, maxFailuresPerAddress, windowMinutes } = this.config.loginThrottle;
    if (user) {
      const [{ n }]: { n: number }[] = await this.db.query(
        `SELECT count(*)::int AS n FROM audit_events
          WHERE clinic_id = $1 AND action = 'auth.login' AND status_code = 401 AND actor_id = $2 AND occurred_at > now() - make_interval(mins => $3)`,
        [user.clinicId, user.id, windowMinutes],
      );
      if (n >= maxFailuresPerAccount) return 'for this account';
    }
    if (ip) {
      // failures from one address, whichever accounts (or none) they tried: both audit tables
      const [{ n }]: { n: number }[] = await this.db.query(
        `SELECT (SELECT count(*) FROM audit_events
                  WHERE action = 'auth.login' AND status_code = 401 AND client_ip = $1 AND occurred_at > now() - make_interval(mins => $2))
              + (SELECT count(*) FROM audit_events_unscoped
                  WHERE action = 'auth.login' AND status_code = 401 AND client_ip = $1 AND occurred_at > now() - make_interval(mins => $2))
                AS n`,
        [ip, windowMinutes],
      );
      if (n >= maxFailuresPerAddress) return 'from this address';
    }
    return null;
  }

  private audit(action: string, user: User | null, outcome: AuditEventInput['outcome'], statusCode: number, client: ClientInfo): Promise<void> {
    return writeAuditEvent(this.db.manager, {
      clinicId: user?.clinicId ?? null,
      actorId: user?.id ?? null,
      actorRole: user?.role ?? null,
      patientId: null,
      action,
      recordType: 'user',
      recordId: user?.id ?? null,
      outcome,
      statusCode,
      clientIp: client.ip,
      requestId: client.requestId,
    });
  }
}
