import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { User } from '../users/user.entity';
import { toUserSummary } from '../users/user.mapper';
import { writeAuditEvent } from '../audit/audit-writer';
import type { AccessClaims } from './auth.guard';
import { LoginResponseDto } from './dto/login.dto';
import { dummyPasswordHash, verifyPassword } from './password.util';

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jwt: JwtService,
  ) {}

  async login(email: string, password: string, ttlSeconds: number, client: { ip: string | null; requestId: string | null }): Promise<LoginResponseDto> {
    const user = await this.db.getRepository(User).findOne({ where: { email: email.trim().toLowerCase() } });
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    const success = !!user && ok && user.active;
    await writeAuditEvent(this.db.manager, {
      clinicId: user?.clinicId ?? null,
      actorId: user?.id ?? null,
      actorRole: user?.role ?? null,
      patientId: null,
      action: 'auth.login',
      recordType: 'user',
      recordId: user?.id ?? null,
      outcome: success ? 'success' : 'denied',
      statusCode: success ? 200 : 401,
      clientIp: client.ip,
      requestId: client.requestId,
    });
    if (!success) {
      throw new DomainError(ErrorCode.Unauthenticated, 'wrong email or password');
    }
    const claims: AccessClaims = { sub: user.id, cid: user.clinicId, role: user.role, typ: 'access' };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: ttlSeconds, algorithm: 'HS256' });
    return { accessToken, expiresIn: ttlSeconds, user: toUserSummary(user) };
  }
}
