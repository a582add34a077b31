import { Db } from '../database/db';
import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { DomainError } from '../common/errors/domain-error';
import { assertVersion } from '../common/http/etag';
import { decodeCursor, DEFAULT_PAGE_SIZE, type Page, type PageQueryDto, toPage } from '../common/http/pagination';
import { isCalendarDate } from '../common/validation/validators';
import { findPatientOrFail } from '../patients/patient-lookup';
import type { CreateTreatmentDto, TreatmentDto, UpdateTreatmentDto } from './dto/treatment.dto';
import { findTreatmentOrFail } from './treatment-lookup';
import { Treatment } from './treatment.entity';
import { toTreatmentDto } from './treatment.mapper';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Optional text: trimmed; null stays null (it clears the field). */
function text(value: string | null | undefined): string | null | undefined {
  return typeof value === 'string' ? value.trim() : value;
}

/** A list cursor is [startedOn, createdAt, id] of the last row; anything else was not issued by us. */
function treatmentCursor(cursor: string | undefined): [string, string, string] | null {
  const key = decodeCursor(cursor, 3);
  if (!key) return null;
  const [startedOn, createdAt, id] = key;
  if (!isCalendarDate(startedOn) || typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)) || typeof id !== 'string' || !UUID.test(id)) {
    throw DomainError.invalid('cursor', 'is not a cursor this list issued');
  }
  return [startedOn, createdAt, id];
}

function assertEndNotBeforeStart(startedOn: string, endedOn: string | null, field: 'endedOn' | 'startedOn'): void {
  if (endedOn !== null && endedOn < startedOn) {
    throw DomainError.invalid(field, field === 'endedOn' ? `must be on or after startedOn (${startedOn})` : `must be on or before endedOn (${endedOn})`);
  }
}

/** A treatment may target only a deposit of the same patient (and so of the same clinic). */
async function assertDepositOfPatient(manager: EntityManager, clinicId: string, patientId: string, depositId: string): Promise<void> {
  const rows: unknown[] = await manager.query('SELECT 1 FROM deposits WHERE id = $1 AND clinic_id = $2 AND patient_id = $3', [depositId, clinicId, patientId]);
  if (rows.length === 0) throw DomainError.invalid('depositId', 'must name a deposit of this patient');
}

@Injectable()
export class TreatmentsService {
  constructor(private readonly db: Db) {}

  async create(actor: AuthUser, patientId: string, dto: CreateTreatmentDto): Promise<TreatmentDto> {
    return this.db.transaction(async (manager) => {
      await findPatientOrFail(manager, actor.clinicId, patientId, true);
      const endedOn = dto.endedOn ?? null;
      assertEndNotBeforeStart(dto.startedOn, endedOn, 'endedOn');
      if (dto.depositId) await assertDepositOfPatient(manager, actor.clinicId, patientId, dto.depositId);
      const repo = manager.getRepository(Treatment);
      const treatment = repo.create({
        clinicId: actor.clinicId,
        patientId,
        depositId: dto.depositId ?? null,
        kind: dto.kind,
        startedOn: dto.startedOn,
        endedOn,
        dose: text(dto.dose) ?? null,
        route: text(dto.route) ?? null,
        outcome: text(dto.outcome) ?? null,
        version: 1,
        createdBy: actor.id,
      });
      return toTreatmentDto(await repo.save(treatment));
    });
  }

  /** Oldest start first. */
  async list(actor: AuthUser, patientId: string, query: PageQueryDto): Promise<Page<TreatmentDto>> {
    await findPatientOrFail(this.db.manager, actor.clinicId, patientId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = treatmentCursor(query.cursor);
    const qb = this.db
      .getRepository(Treatment)
      .createQueryBuilder('t')
      .where('t.clinic_id = :clinicId AND t.patient_id = :patientId', { clinicId: actor.clinicId, patientId })
      .orderBy('t.started_on', 'ASC')
      .addOrderBy('t.created_at', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .limit(limit + 1);
    if (after) {
      qb.andWhere('(t.started_on, t.created_at, t.id) > (:startedOn::date, :createdAt::timestamptz, :id::uuid)', {
        startedOn: after[0],
        createdAt: after[1],
        id: after[2],
      });
    }
    const rows = await qb.getMany();
    return toPage(rows, limit, (t) => [t.startedOn, t.createdAt.toISOString(), t.id], toTreatmentDto);
  }

  async update(actor: AuthUser, id: string, dto: UpdateTreatmentDto, ifMatchVersion?: number): Promise<TreatmentDto> {
    return this.db.transaction(async (manager) => {
      const { patientId } = await findTreatmentOrFail(manager, actor.clinicId, id);
      // A visit reads the patient's treatments to know the current tier: serialise with it on the patient.
      await findPatientOrFail(manager, actor.clinicId, patientId, true);
      const current = await findTreatmentOrFail(manager, actor.clinicId, id);
      assertVersion(current.version, ifMatchVersion, 'treatment');

      const changes: Partial<Treatment> = {};
      if (dto.kind !== undefined) changes.kind = dto.kind;
      if (dto.startedOn !== undefined) changes.startedOn = dto.startedOn;
      if (dto.endedOn !== undefined) changes.endedOn = dto.endedOn;
      if (dto.depositId !== undefined) changes.depositId = dto.depositId;
      if (dto.dose !== undefined) changes.dose = text(dto.dose);
      if (dto.route !== undefined) changes.route = text(dto.route);
      if (dto.outcome !== undefined) changes.outcome = text(dto.outcome);

      const startedOn = changes.startedOn ?? current.startedOn;
      const endedOn = changes.endedOn !== undefined ? changes.endedOn : current.endedOn;
      assertEndNotBeforeStart(startedOn, endedOn, dto.endedOn !== undefined ? 'endedOn' : 'startedOn');
      if (changes.depositId) await assertDepositOfPatient(manager, actor.clinicId, patientId, changes.depositId);

      const result = await manager
        .createQueryBuilder()
        .update(Treatment)
        .set({ ...changes, version: () => 'version + 1' })
        .where('id = :id AND clinic_id = :clinicId AND version = :version', { id, clinicId: actor.clinicId, version: current.version })
        .execute();
      if (result.affected !== 1) throw DomainError.preconditionFailed('treatment');
      return toTreatmentDto(await findTreatmentOrFail(manager, actor.clinicId, id));
    });
  }
}
