import { Db } from '../database/db';
import { Injectable } from '@nestjs/common';
import { AlertRunner } from '../alerts/alert-runner';
import { type EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, type Page, type PageQueryDto, toPage } from '../common/http/pagination';
import { isCalendarDate, latestPossibleToday } from '../common/validation/validators';
import { findPatientOrFail } from '../patients/patient-lookup';
import type { LabInputDto, LabResultDto } from './dto/lab.dto';
import { LabResult } from './lab-result.entity';
import { toLabResultDto } from './lab-result.mapper';
import { LabInputError, toConventional, type LabValuesInput } from './lab-units';

export interface LabRecordContext {
  clinicId: string;
  /** who records the labs (created_by) */
  userId: string;
}

/** A lab input with its collection date settled (a visit passes its own date when none was given). */
export type RecordLabInput = LabValuesInput & { collectedOn: string };

/**
 * Stores one lab result in the caller's transaction (it opens none): the visit service calls it
 * inside the visit's transaction. The caller has already found the patient (and the visit) within
 * `ctx.clinicId`. Values are converted to conventional units; a bad value is a 400 naming the field.
 */
export async function recordLab(manager: EntityManager, ctx: LabRecordContext, patientId: string, input: RecordLabInput, visitId: string | null): Promise<LabResult> {
  if (!isCalendarDate(input.collectedOn)) throw DomainError.invalid('collectedOn', 'must be a date written YYYY-MM-DD');
  if (input.collectedOn > latestPossibleToday()) throw DomainError.invalid('collectedOn', 'must not be in the future');
  let labs;
  try {
    labs = toConventional(input);
  } catch (err) {
    if (err instanceof LabInputError) {
      const details = err.problems.map((p) => ({ field: p.field, messages: [p.message] }));
      throw new DomainError(ErrorCode.Validation, err.problems.map((p) => `${p.field} ${p.message}`).join('; '), details);
    }
    throw err;
  }
  const repo = manager.getRepository(LabResult);
  return repo.save(
    repo.create({
      clinicId: ctx.clinicId,
      patientId,
      visitId,
      collectedOn: input.collectedOn,
      calciumMgDl: labs.calciumMgDl,
      albuminGDl: labs.albuminGDl,
      phosphateMgDl: labs.phosphateMgDl,
      pthPgMl: labs.pthPgMl,
      vitaminDNgMl: labs.vitaminDNgMl,
      egfrMlMin: labs.egfrMlMin173m2,
      correctedCalciumMgDl: labs.correctedCalciumMgDl,
      calciumPhosphateProduct: labs.calciumPhosphateProduct,
      entered: labs.entered as Record<string, { value: number; unit: string }>,
      createdBy: ctx.userId,
    }),
  );
}

/** A list cursor is [collectedOn, createdAt, id] of the last row; anything else was not issued by us. */
function labCursor(cursor: string | undefined): [string, string, string] | null {
  const key = decodeCursor(cursor, 3);
  if (!key) return null;
  const [collectedOn, createdAt, id] = key;
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (!isCalendarDate(collectedOn) || typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)) || typeof id !== 'string' || !uuid.test(id)) {
    throw DomainError.invalid('cursor', 'is not a cursor this list issued');
  }
  return [collectedOn, createdAt, id];
}

@Injectable()
export class LabsService {
  constructor(
    private readonly db: Db,
    private readonly alerts: AlertRunner,
  ) {}

  /** See the `recordLab` function: runs in the caller's transaction (a visit's), opens none. */
  recordLab(manager: EntityManager, ctx: LabRecordContext, patientId: string, input: RecordLabInput, visitId: string | null): Promise<LabResult> {
    return recordLab(manager, ctx, patientId, input, visitId);
  }

  async create(actor: AuthUser, patientId: string, dto: LabInputDto): Promise<LabResultDto> {
    return this.db.transaction(async (manager) => {
      await findPatientOrFail(manager, actor.clinicId, patientId, true);
      const lab = await recordLab(manager, { clinicId: actor.clinicId, userId: actor.id }, patientId, dto, null);
      await this.alerts.afterChange(manager, {
        kind: 'lab',
        clinicId: actor.clinicId,
        patientId,
        actorId: actor.id,
        date: lab.collectedOn,
        visitId: null,
        evaluatedDepositIds: [],
        newDepositIds: [],
        labResultId: lab.id,
      });
      return toLabResultDto(lab);
    });
  }

  /** Newest sample first. */
  async list(actor: AuthUser, patientId: string, query: PageQueryDto): Promise<Page<LabResultDto>> {
    await findPatientOrFail(this.db.manager, actor.clinicId, patientId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = labCursor(query.cursor);
    const qb = this.db
      .getRepository(LabResult)
      .createQueryBuilder('l')
      .where('l.clinic_id = :clinicId AND l.patient_id = :patientId', { clinicId: actor.clinicId, patientId })
      .orderBy('l.collected_on', 'DESC')
      .addOrderBy('l.created_at', 'DESC')
      .addOrderBy('l.id', 'DESC')
      .limit(limit + 1);
    if (after) {
      qb.andWhere('(l.collected_on, l.created_at, l.id) < (:collectedOn::date, :createdAt::timestamptz, :id::uuid)', {
        collectedOn: after[0],
        createdAt: after[1],
        id: after[2],
      });
    }
    const rows = await qb.getMany();
    return toPage(rows, limit, (l) => [l.collectedOn, l.createdAt.toISOString(), l.id], toLabResultDto);
  }
}
