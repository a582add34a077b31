import { Db } from '../database/db';
import { Injectable } from '@nestjs/common';
import { MoreThan, type EntityManager } from 'typeorm';
import { AlertRunner } from '../alerts/alert-runner';
import type { AuthUser } from '../auth/auth-user';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, type Page, type PageQueryDto, toPage } from '../common/http/pagination';
import { findPatientOrFail } from '../patients/patient-lookup';
import { userNamesOf } from '../users/user-names';
import type { AmendEvaluationDto } from './dto/evaluation-input.dto';
import type { EvaluationVersionDto } from './dto/evaluation.dto';
import { EvaluationVersion } from './evaluation-version.entity';
import { Evaluation, type Measurement } from './evaluation.entity';
import { measurementOf, toEvaluationVersionDto } from './evaluation.mapper';

export interface AmendmentResult extends EvaluationVersionDto {
  alerts: Awaited<ReturnType<AlertRunner['afterChange']>>;
}

async function findEvaluationOrFail(manager: EntityManager, clinicId: string, id: string): Promise<Evaluation> {
  const evaluation = await manager.getRepository(Evaluation).findOne({ where: { id, clinicId } });
  if (!evaluation) throw DomainError.notFound('evaluation');
  return evaluation;
}

/** The measurement after applying the fields an amendment sends (null clears an optional field). */
function amended(current: Measurement, dto: AmendEvaluationDto): Measurement {
  const next: Measurement = { ...current };
  const keys: (keyof Measurement)[] = [
    'method', 'longestDiameterMm', 'perpendicularDiameterMm', 'depthMm', 'shape', 'margin', 'mobility',
    'ulcerated', 'infectionSigns', 'inflammation', 'nerveCompression', 'drainage', 'painScore', 'notes',
  ];
  for (const key of keys) {
    const value = (dto as unknown as Record<string, unknown>)[key];
    if (value !== undefined) (next as unknown as Record<string, unknown>)[key] = value;
  }
  if (dto.position === null) Object.assign(next, { landmark: null, xMm: null, yMm: null });
  else if (dto.position) Object.assign(next, { landmark: dto.position.landmark.trim(), xMm: dto.position.xMm ?? null, yMm: dto.position.yMm ?? null });
  return next;
}

@Injectable()
export class AmendmentsService {
  constructor(
    private readonly db: Db,
    private readonly alerts: AlertRunner,
  ) {}

  /** A correction is a new version with its reason; the evaluation's earlier versions stay as they were. */
  async amend(actor: AuthUser, evaluationId: string, dto: AmendEvaluationDto): Promise<AmendmentResult> {
    return this.db.transaction(async (manager) => {
      const found = await findEvaluationOrFail(manager, actor.clinicId, evaluationId);
      await findPatientOrFail(manager, actor.clinicId, found.patientId, true);
      const evaluation = await findEvaluationOrFail(manager, actor.clinicId, evaluationId);

      const before = measurementOf(evaluation);
      const after = amended(before, dto);
      if (JSON.stringify(before) === JSON.stringify(after)) {
        throw new DomainError(ErrorCode.Validation, 'body: the amendment changes no field of the evaluation', [
          { field: 'body', messages: ['changes no field of the evaluation'] },
        ]);
      }
      const version = evaluation.version + 1;
      const recordedAt = new Date();
      const result = await manager
        .createQueryBuilder()
        .update(Evaluation)
        .set({ ...after, version, recordedBy: actor.id, recordedAt })
        .where('id = :id AND clinic_id = :clinicId AND version = :v', { id: evaluation.id, clinicId: actor.clinicId, v: evaluation.version })
        .execute();
      if (result.affected !== 1) throw DomainError.preconditionFailed('evaluation');
      const stored = await manager.getRepository(EvaluationVersion).save(
        manager.getRepository(EvaluationVersion).create({
          clinicId: actor.clinicId,
          evaluationId: evaluation.id,
          version,
          data: after,
          reason: dto.reason.trim(),
          recordedBy: actor.id,
          recordedAt,
        }),
      );
      const alerts = await this.alerts.afterChange(manager, {
        kind: 'amendment',
        clinicId: actor.clinicId,
        patientId: evaluation.patientId,
        actorId: actor.id,
        date: evaluation.visitDate,
        visitId: evaluation.visitId,
        evaluatedDepositIds: [evaluation.depositId],
        newDepositIds: [],
        labResultId: null,
      });
      const names = await userNamesOf(manager, actor.clinicId, [actor.id]);
      return { ...toEvaluationVersionDto(evaluation, stored, names.get(actor.id) ?? null), alerts };
    });
  }

  /** Every version, oldest first. */
  async history(actor: AuthUser, evaluationId: string, query: PageQueryDto): Promise<Page<EvaluationVersionDto>> {
    const evaluation = await findEvaluationOrFail(this.db.manager, actor.clinicId, evaluationId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, ['int']);
    const versions = await this.db.getRepository(EvaluationVersion).find({
      where: { clinicId: actor.clinicId, evaluationId, ...(after ? { version: MoreThan(Number(after[0])) } : {}) },
      order: { version: 'ASC' },
      take: limit + 1,
    });
    const names = await userNamesOf(this.db.manager, actor.clinicId, versions.map((v) => v.recordedBy));
    return toPage(versions, limit, (v) => [v.version], (v) => toEvaluationVersionDto(evaluation, v, names.get(v.recordedBy) ?? null));
  }
}
