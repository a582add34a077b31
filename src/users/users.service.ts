import { Db } from '../database/db';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { hashPassword } from '../auth/password.util';
import { AuthService } from '../auth/auth.service';
import type { AuthUser } from '../auth/auth-user';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, PageQueryDto, toPage } from '../common/http/pagination';
import { isUniqueViolation } from '../database/pg-errors';
import { CreateUserDto } from './dto/create-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { PhysicianDto, UserDto } from './dto/user-response.dto';
import { User } from './user.entity';
import { toUserDto } from './user.mapper';

@Injectable()
export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly auth: AuthService,
  ) {}

  async create(actor: AuthUser, dto: CreateUserDto): Promise<UserDto> {
    const user = await createUser(this.db.manager, actor.clinicId, dto);
    return toUserDto(user);
  }

  async list(actor: AuthUser, query: PageQueryDto): Promise<Page<UserDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, ['text']);
    const qb = this.db
      .getRepository(User)
      .createQueryBuilder('u')
      .where('u.clinic_id = :clinicId', { clinicId: actor.clinicId })
      .orderBy('u.email', 'ASC')
      .limit(limit + 1);
    if (after) qb.andWhere('u.email > :email', { email: after[0] });
    const rows = await qb.getMany();
    return toPage(rows, limit, (u) => [u.email], toUserDto);
  }

  /** The clinic's active physicians by name: whom a patient's responsible physician may be. */
  async physicians(actor: AuthUser, query: PageQueryDto): Promise<Page<PhysicianDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, ['text', 'uuid']);
    const qb = this.db
      .getRepository(User)
      .createQueryBuilder('u')
      .select(['u.id', 'u.name', 'u.specialty'])
      .where('u.clinic_id = :clinicId', { clinicId: actor.clinicId })
      .andWhere("u.role = 'physician' AND u.active")
      .orderBy('u.name', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(limit + 1);
    if (after) qb.andWhere('(u.name, u.id) > (:name, :id)', { name: after[0], id: after[1] });
    const rows = await qb.getMany();
    return toPage(rows, limit, (u) => [u.name, u.id], (u) => ({ id: u.id, name: u.name, specialty: u.specialty }));
  }

  async update(actor: AuthUser, id: string, dto: UpdateUserDto): Promise<UserDto> {
    const repo = this.db.getRepository(User);
    const user = await repo.findOne({ where: { id, clinicId: actor.clinicId } });
    if (!user) throw DomainError.notFound('user');
    if (user.id === actor.id && (dto.active === false || (dto.role && dto.role !== 'admin'))) {
      throw new DomainError(ErrorCode.Conflict, 'an admin cannot disable or demote their own account');
    }
    if (dto.name !== undefined) user.name = dto.name;
    if (dto.role !== undefined) user.role = dto.role;
    if (dto.active !== undefined) user.active = dto.active;
    if (dto.specialty !== undefined) user.specialty = dto.specialty;
    if (dto.password !== undefined) user.passwordHash = await hashPassword(dto.password);
    await repo.save(user);
    if (dto.active === false || dto.password !== undefined || dto.role !== undefined) {
      await this.auth.revokeAllSessions(this.db.manager, user, dto.active === false ? 'account disabled' : 'credentials or role changed');
    }
    return toUserDto(user);
  }
}

/** Also used by the operator CLI and the start-up bootstrap. */
export async function createUser(
  manager: EntityManager,
  clinicId: string,
  dto: { email: string; name: string; role: User['role']; password: string; specialty?: string | null },
): Promise<User> {
  const repo = manager.getRepository(User);
  const user = repo.create({
    clinicId,
    email: dto.email.trim().toLowerCase(),
    name: dto.name.trim(),
    role: dto.role,
    specialty: dto.specialty ?? null,
    passwordHash: await hashPassword(dto.password),
    active: true,
  });
  try {
    return await repo.save(user);
  } catch (err) {
    if (isUniqueViolation(err, 'users_email_key')) {
      throw new DomainError(ErrorCode.Conflict, 'email: a user with this email already exists', [
        { field: 'email', messages: ['is already in use'] },
      ]);
    }
    throw err;
  }
}
