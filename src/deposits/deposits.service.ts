import { Db } from '../database/db';
import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { assertVersion } from '../common/http/etag';
import { decodeCursor, DEFAULT_PAGE_SIZE, type Page, type PageQueryDto, toPage } from '../common/http/pagination';
import { findPatientOrFail } from '../patients/patient-lookup';
import { Evaluation } from '../visits/evaluation.entity';
import { toEvaluationDto } from '../visits/evaluation.mapper';
import { depositCourse } from './deposit-course';
import { findDepositOrFail } from './deposit-lookup';
import { Deposit } from './deposit.entity';
import { toDepositDto } from './deposit.mapper';
import type { CreateDepositDto, UpdateDepositDto } from './dto/deposit-input.dto';
import type { DepositDetailDto, DepositDto, DepositWithLatestDto } from './dto/deposit.dto';

@Injectable()
export class DepositsService {
  constructor(private readonly db: Db) {}

  async create(actor: AuthUser, patientId: string, dto: CreateDepositDto): Promise<DepositDto> {
    return this.db.transaction(async (manager) => {
      await findPatientOrFail(manager, actor.clinicId, patientId, true);
      const deposit = await insertDeposit(manager, actor.clinicId, patientId, dto, { notedOn: new Date().toISOString().slice(0, 10), firstVisitId: null });
      return toDepositDto(deposit);
    });
  }

  async list(actor: AuthUser, patientId: string, query: PageQueryDto): Promise<Page<DepositWithLatestDto>> {
    await findPatientOrFail(this.db.manager, actor.clinicId, patientId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, ['int']);
    const qb = this.db
      .getRepository(Deposit)
      .createQueryBuilder('d')
      .where('d.clinic_id = :clinicId AND d.patient_id = :patientId', { clinicId: actor.clinicId, patientId })
      .orderBy('d.seq', 'ASC')
      .limit(limit + 1);
    if (after) qb.andWhere('d.seq > :seq', { seq: String(after[0]) });
    const deposits = await qb.getMany();
    const latest = await this.latestEvaluations(actor.clinicId, deposits.slice(0, limit).map((d) => d.id));
    return toPage(deposits, limit, (d) => [d.seq], (d) => ({
      ...toDepositDto(d),
      latestEvaluation: latest.has(d.id) ? toEvaluationDto(latest.get(d.id)!) : null,
    }));
  }

  async get(actor: AuthUser, id: string): Promise<DepositDetailDto> {
    const deposit = await findDepositOrFail(this.db.manager, actor.clinicId, id);
    const evaluations = await this.db.getRepository(Evaluation).find({
      where: { clinicId: actor.clinicId, depositId: id },
      order: { visitDate: 'ASC', seq: 'ASC' },
    });
    const dtos = evaluations.map(toEvaluationDto);
    return { ...toDepositDto(deposit), evaluations: dtos, ...depositCourse(dtos) };
  }

  async update(actor: AuthUser, id: string, dto: UpdateDepositDto, ifMatch?: number): Promise<DepositDetailDto> {
    await this.db.transaction(async (manager) => {
      const deposit = await findDepositOrFail(manager, actor.clinicId, id);
      await findPatientOrFail(manager, actor.clinicId, deposit.patientId, true);
      const fresh = await findDepositOrFail(manager, actor.clinicId, id);
      assertVersion(fresh.version, ifMatch, 'deposit');
      Object.assign(fresh, definedFields(dto), { version: fresh.version + 1 });
      fresh.label = fresh.label.trim();
      await manager.getRepository(Deposit).save(fresh);
    });
    return this.get(actor, id);
  }

  /** The latest evaluation of each deposit, in one query. */
  private async latestEvaluations(clinicId: string, depositIds: string[]): Promise<Map<string, Evaluation>> {
    if (!depositIds.length) return new Map();
    const rows = await this.db
      .getRepository(Evaluation)
      .createQueryBuilder('e')
      .distinctOn(['e.deposit_id'])
      .where('e.clinic_id = :clinicId AND e.deposit_id IN (:...depositIds)', { clinicId, depositIds })
      .orderBy('e.deposit_id')
      .addOrderBy('e.visit_date', 'DESC')
      .addOrderBy('e.seq', 'DESC')
      .getMany();
    return new Map(rows.map((e) => [e.depositId, e]));
  }
}

function definedFields<T extends object>(dto: T): Partial<T> {
  return Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Also used by a visit that records new deposits, inside its transaction. */
export async function insertDeposit(
  manager: EntityManager,
  clinicId: string,
  patientId: string,
  dto: CreateDepositDto,
  defaults: { notedOn: string; firstVisitId: string | null },
): Promise<Deposit> {
  const repo = manager.getRepository(Deposit);
  return repo.save(
    repo.create({
      clinicId,
      patientId,
      label: dto.label.trim(),
      site: dto.site,
      siteDetail: dto.siteDetail ?? null,
      laterality: dto.laterality,
      depth: dto.depth,
      pattern: dto.pattern ?? null,
      detectedBy: dto.detectedBy,
      priorProcedureSite: dto.priorProcedureSite ?? false,
      notedOn: dto.notedOn ?? defaults.notedOn,
      status: dto.status ?? 'active',
      firstVisitId: defaults.firstVisitId,
    }),
  );
}
