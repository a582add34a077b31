import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { User } from '../users/user.entity';
import { toUserSummary } from '../users/user.mapper';
import type { AccessClaims } from './auth.guard';
import { LoginResponseDto } from './dto/login.dto';
import { dummyPasswordHash, verifyPassword } from './password.util';

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jwt: JwtService,
  ) {}

  async login(email: string, password: string, ttlSeconds: number): Promise<LoginResponseDto> {
    const user = await this.db.getRepository(User).findOne({ where: { email: email.trim().toLowerCase() } });
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !ok || !user.active) {
      throw new DomainError(ErrorCode.Unauthenticated, 'wrong email or password');
    }
    const claims: AccessClaims = { sub: user.id, cid: user.clinicId, role: user.role, typ: 'access' };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: ttlSeconds, algorithm: 'HS256' });
    return { accessToken, expiresIn: ttlSeconds, user: toUserSummary(user) };
  }
}
