import { Db } from '../database/db';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { assertVersion } from '../common/http/etag';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/http/pagination';
import { isUniqueViolation } from '../database/pg-errors';
import { User } from '../users/user.entity';
import { currentTier, describeTier } from '../change-detection/tiers';
import { loadTreatments } from '../alerts/clinical-history.loader';
import { CreatePatientDto, PatientDetailDto, PatientDto, PatientQueryDto, UpdatePatientDto } from './dto/patient.dto';
import { findPatientOrFail } from './patient-lookup';
import { Patient } from './patient.entity';
import { toPatientDto } from './patient.mapper';

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

@Injectable()
export class PatientsService {
  constructor(private readonly db: Db) {}

  async create(actor: AuthUser, dto: CreatePatientDto): Promise<PatientDto> {
    return this.db.transaction(async (manager) => {
      if (dto.responsiblePhysicianId) await this.assertPhysician(manager, actor.clinicId, dto.responsiblePhysicianId);
      const repo = manager.getRepository(Patient);
      const patient = repo.create({
        clinicId: actor.clinicId,
        mrn: dto.mrn.trim(),
        name: dto.name.trim(),
        birthDate: dto.birthDate,
        sex: dto.sex,
        conditions: dto.conditions ?? [],
        calcinosisType: dto.calcinosisType ?? 'unknown',
        familyHistory: dto.familyHistory ?? false,
        responsiblePhysicianId: dto.responsiblePhysicianId ?? null,
      });
      return toPatientDto(await this.save(manager, patient));
    });
  }

  async list(actor: AuthUser, query: PatientQueryDto): Promise<Page<PatientDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, ['text', 'uuid']);
    const qb = this.db
      .getRepository(Patient)
      .createQueryBuilder('p')
      .where('p.clinic_id = :clinicId', { clinicId: actor.clinicId })
      .orderBy('lower(p.name)', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(limit + 1);
    const search = query.search?.trim();
    if (search) {
      qb.andWhere("(p.name ILIKE :pattern ESCAPE '\\' OR p.mrn ILIKE :pattern ESCAPE '\\')", { pattern: `%${escapeLike(search)}%` });
    }
    if (after) qb.andWhere('(lower(p.name), p.id) > (:name, :id::uuid)', { name: after[0], id: after[1] });
    const rows = await qb.getMany();
    return toPage(rows, limit, (p) => [p.name.toLowerCase(), p.id], toPatientDto);
  }

  async get(actor: AuthUser, id: string): Promise<PatientDetailDto> {
    const patient = await findPatientOrFail(this.db.manager, actor.clinicId, id);
    const today = new Date().toISOString().slice(0, 10);
    const tier = currentTier(await loadTreatments(this.db.manager, actor.clinicId, id), today, null);
    return { ...toPatientDto(patient), currentTier: { tier: tier.tier, since: tier.since, description: describeTier(tier.tier) } };
  }

  async update(actor: AuthUser, id: string, dto: UpdatePatientDto, ifMatchVersion?: number): Promise<PatientDto> {
    return this.db.transaction(async (manager) => {
      const patient = await findPatientOrFail(manager, actor.clinicId, id, true);
      assertVersion(patient.version, ifMatchVersion, 'patient');
      if (dto.responsiblePhysicianId) await this.assertPhysician(manager, actor.clinicId, dto.responsiblePhysicianId);
      if (dto.mrn !== undefined) patient.mrn = dto.mrn.trim();
      if (dto.name !== undefined) patient.name = dto.name.trim();
      if (dto.birthDate !== undefined) patient.birthDate = dto.birthDate;
      if (dto.sex !== undefined) patient.sex = dto.sex;
      if (dto.conditions !== undefined) patient.conditions = dto.conditions;
      if (dto.calcinosisType !== undefined) patient.calcinosisType = dto.calcinosisType;
      if (dto.familyHistory !== undefined) patient.familyHistory = dto.familyHistory;
      if (dto.responsiblePhysicianId !== undefined) patient.responsiblePhysicianId = dto.responsiblePhysicianId;
      patient.version += 1;
      return toPatientDto(await this.save(manager, patient));
    });
  }

  private async save(manager: EntityManager, patient: Patient): Promise<Patient> {
    try {
      return await manager.getRepository(Patient).save(patient);
    } catch (err) {
      if (isUniqueViolation(err, 'patients_clinic_mrn_key')) {
        throw new DomainError(ErrorCode.Conflict, 'mrn: another patient of this clinic has this MRN', [
          { field: 'mrn', messages: ['is already used by another patient of this clinic'] },
        ]);
      }
      throw err;
    }
  }

  private async assertPhysician(manager: EntityManager, clinicId: string, userId: string): Promise<void> {
    const user = await manager.getRepository(User).findOne({ where: { id: userId, clinicId }, select: { id: true, role: true, active: true } });
    if (!user || user.role !== 'physician' || !user.active) {
      throw DomainError.invalid('responsiblePhysicianId', 'must name an active physician of this clinic');
    }
  }
}
