import { Db } from '../database/db';
import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { AlertRunner } from '../alerts/alert-runner';
import type { AuthUser } from '../auth/auth-user';
import { DomainError, ErrorCode, type FieldError } from '../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, type Page, type PageQueryDto, toPage } from '../common/http/pagination';
import { Deposit } from '../deposits/deposit.entity';
import { insertDeposit } from '../deposits/deposits.service';
import { LabResult } from '../labs/lab-result.entity';
import { toLabResultDto } from '../labs/lab-result.mapper';
import { recordLab } from '../labs/labs.service';
import { findPatientOrFail } from '../patients/patient-lookup';
import type { CreateVisitDto, VisitCreatedDto, VisitDto } from './dto/visit.dto';
import { Evaluation, type Measurement } from './evaluation.entity';
import { toEvaluationDto } from './evaluation.mapper';
import { insertEvaluations, insertVisitWithEvaluations, measurementFromInput } from './evaluation-writer';
import { Visit } from './visit.entity';
import { preparedQuery } from '../database/prepared';

@Injectable()
export class VisitsService {
  constructor(
    private readonly db: Db,
    private readonly alerts: AlertRunner,
  ) {}

  /**
   * One visit, whole or not at all: the visit, its new deposits, every evaluation (with version 1),
   * its labs and the alerts they raise are written in one transaction. The patient's row lock
   * serialises visits of one patient, so change detection always sees the one before.
   */
  async create(actor: AuthUser, patientId: string, dto: CreateVisitDto): Promise<VisitCreatedDto> {
    const evaluations = dto.evaluations ?? [];
    const newDeposits = dto.newDeposits ?? [];
    assertSomethingToStore(evaluations.length + newDeposits.length);
    for (const e of evaluations) e.depositId = e.depositId.toLowerCase();
    assertNoRepeatedDeposit(evaluations.map((e) => e.depositId));
    assertNotedOnOrBefore(newDeposits.map((d) => d.notedOn), dto.visitDate);

    return this.db.transaction(async (manager) => {
      await lockPatientAndCheckDeposits(manager, actor.clinicId, patientId, evaluations.map((e) => e.depositId));

      const header = { clinicId: actor.clinicId, patientId, visitDate: dto.visitDate, actorId: actor.id };
      const measured = evaluations.map((input) => ({ depositId: input.depositId, measurement: measurementFromInput(input) }));
      const newDepositIds: string[] = [];
      let visit: Visit;
      let stored: Evaluation[];
      if (!newDeposits.length) {
        // the common visit: the visit and its evaluations in one statement
        ({ visit, evaluations: stored } = await insertVisitWithEvaluations(manager, header, measured));
      } else {
        // new deposits name the visit that first noted them: the visit first, then the deposits, then every evaluation
        visit = await insertVisit(manager, { clinicId: actor.clinicId, patientId, visitDate: dto.visitDate, createdBy: actor.id });
        const toStore: { depositId: string; measurement: Measurement }[] = [];
        for (const input of newDeposits) {
          const deposit = await insertDeposit(manager, actor.clinicId, patientId, input, { notedOn: visit.visitDate, firstVisitId: visit.id });
          newDepositIds.push(deposit.id);
          toStore.push({ depositId: deposit.id, measurement: measurementFromInput(input.evaluation) });
        }
        stored = await insertEvaluations(manager, { ...header, visitId: visit.id }, [...toStore, ...measured]);
      }
      const lab = dto.labs
        ? await recordLab(manager, { clinicId: actor.clinicId, userId: actor.id }, patientId, { ...dto.labs, collectedOn: dto.labs.collectedOn ?? visit.visitDate }, visit.id).catch(
            (err: unknown) => {
              throw withFieldPrefix(err, 'labs');
            },
          )
        : null;

      const alerts = await this.alerts.afterChange(manager, {
        kind: 'visit',
        clinicId: actor.clinicId,
        patientId,
        actorId: actor.id,
        date: visit.visitDate,
        visitId: visit.id,
        evaluatedDepositIds: stored.map((e) => e.depositId),
        newDepositIds,
        labResultId: lab?.id ?? null,
      });

      return {
        id: visit.id,
        patientId,
        visitDate: visit.visitDate,
        evaluations: stored.map(toEvaluationDto),
        newDepositIds,
        labs: lab ? toLabResultDto(lab) : null,
        alerts,
        createdBy: visit.createdBy,
        createdAt: visit.createdAt,
      };
    });
  }

  /** Newest first. */
  async list(actor: AuthUser, patientId: string, query: PageQueryDto): Promise<Page<VisitDto>> {
    await findPatientOrFail(this.db.manager, actor.clinicId, patientId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, ['date', 'timestamp', 'uuid']);
    const qb = this.db
      .getRepository(Visit)
      .createQueryBuilder('v')
      .where('v.clinic_id = :clinicId AND v.patient_id = :patientId', { clinicId: actor.clinicId, patientId })
      .orderBy('v.visit_date', 'DESC')
      .addOrderBy('v.created_at', 'DESC')
      .addOrderBy('v.id', 'DESC')
      .limit(limit + 1);
    if (after) qb.andWhere('(v.visit_date, v.created_at, v.id) < (:visitDate::date, :at::timestamptz, :id::uuid)', { visitDate: after[0], at: after[1], id: after[2] });
    const visits = await qb.getMany();
    const page = toPage(visits, limit, (v) => [v.visitDate, v.createdAt.toISOString(), v.id], (v) => v);
    return { items: await this.withContents(actor.clinicId, page.items), nextCursor: page.nextCursor };
  }

  async get(actor: AuthUser, id: string): Promise<VisitDto> {
    const visit = await this.db.getRepository(Visit).findOne({ where: { id, clinicId: actor.clinicId } });
    if (!visit) throw DomainError.notFound('visit');
    const [dto] = await this.withContents(actor.clinicId, [visit]);
    return dto;
  }

  /** The visits with their evaluations, new deposits and labs: three queries, whatever the page size. */
  private async withContents(clinicId: string, visits: Visit[]): Promise<VisitDto[]> {
    if (!visits.length) return [];
    const visitIds = visits.map((v) => v.id);
    // one after the other: inside a request they share its transaction's connection
    const evaluations = await this.db.getRepository(Evaluation).find({ where: { clinicId, visitId: In(visitIds) }, order: { seq: 'ASC' } });
    const deposits = await this.db
      .getRepository(Deposit)
      .find({ where: { clinicId, firstVisitId: In(visitIds) }, select: { id: true, firstVisitId: true, seq: true }, order: { seq: 'ASC' } });
    const labs = await this.db.getRepository(LabResult).find({ where: { clinicId, visitId: In(visitIds) }, select: { id: true, visitId: true } });
    return visits.map((v) => ({
      id: v.id,
      patientId: v.patientId,
      visitDate: v.visitDate,
      evaluations: evaluations.filter((e) => e.visitId === v.id).map(toEvaluationDto),
      newDepositIds: deposits.filter((d) => d.firstVisitId === v.id).map((d) => d.id),
      labResultIds: labs.filter((l) => l.visitId === v.id).map((l) => l.id),
      createdBy: v.createdBy,
      createdAt: v.createdAt,
    }));
  }
}

/** A field error raised for a nested part of the visit names its place in the visit body. */
function withFieldPrefix(err: unknown, prefix: string): unknown {
  if (!(err instanceof DomainError) || err.code !== ErrorCode.Validation || !err.details) return err;
  const details = err.details.map((d) => ({ field: `${prefix}.${d.field}`, messages: d.messages }));
  return new DomainError(ErrorCode.Validation, details.map((d) => `${d.field} ${d.messages.join(', ')}`).join('; '), details);
}

/** A deposit cannot have been noted after the visit that first records it. */
function assertNotedOnOrBefore(notedOn: (string | undefined)[], visitDate: string): void {
  const details: FieldError[] = notedOn
    .map((date, i) => ({ date, i }))
    .filter(({ date }) => date !== undefined && date > visitDate)
    .map(({ i }) => ({ field: `newDeposits[${i}].notedOn`, messages: [`must not be after the visit date (${visitDate})`] }));
  if (details.length) throw new DomainError(ErrorCode.Validation, details.map((d) => `${d.field} ${d.messages[0]}`).join('; '), details);
}

function assertSomethingToStore(count: number): void {
  if (count === 0) {
    throw new DomainError(ErrorCode.Validation, 'evaluations: a visit needs at least one evaluation or new deposit', [
      { field: 'evaluations', messages: ['a visit needs at least one evaluation or new deposit'] },
    ]);
  }
}

function assertNoRepeatedDeposit(depositIds: string[]): void {
  const details: FieldError[] = [];
  depositIds.forEach((id, i) => {
    if (depositIds.indexOf(id) !== i) details.push({ field: `evaluations[${i}].depositId`, messages: ['this deposit is already evaluated earlier in this visit'] });
  });
  if (details.length) throw new DomainError(ErrorCode.Validation, details.map((d) => `${d.field} ${d.messages[0]}`).join('; '), details);
}

/** Exported for the benchmark's replay of a visit's SQL (bench/lib/visit-sql.ts). */
export const LOCK_PATIENT_CHECK_DEPOSITS = `SELECT ARRAY(SELECT d.id::text FROM deposits d WHERE d.clinic_id = $1 AND d.patient_id = $2 AND d.id = ANY($3::uuid[])) AS known
  FROM patients p WHERE p.clinic_id = $1 AND p.id = $2 FOR UPDATE OF p`;

/**
 * Locks the patient's row (visits of one patient are applied one after the other) and checks, in the
 * same statement, that every evaluated deposit is this patient's: anything else (another patient's,
 * another clinic's, none) is a 400 naming the field; another clinic's patient is a 404. (The deposit
 * check is read before the lock is granted: which patient a deposit belongs to never changes, and a
 * deposit a concurrent visit is creating cannot be known to this request yet.)
 */
export const INSERT_VISIT = `INSERT INTO visits (clinic_id, patient_id, visit_date, created_by) VALUES ($1, $2, $3, $4) RETURNING id, created_at`;

async function insertVisit(manager: EntityManager, visit: Omit<Visit, 'id' | 'createdAt'>): Promise<Visit> {
  const [row] = await preparedQuery<{ id: string; created_at: Date }>(manager, INSERT_VISIT, [visit.clinicId, visit.patientId, visit.visitDate, visit.createdBy]);
  return Object.assign(new Visit(), visit, { id: row.id, createdAt: row.created_at });
}

async function lockPatientAndCheckDeposits(manager: EntityManager, clinicId: string, patientId: string, depositIds: string[]): Promise<void> {
  const [row] = await preparedQuery<{ known: string[] }>(manager, LOCK_PATIENT_CHECK_DEPOSITS, [clinicId, patientId, depositIds]);
  if (!row) throw DomainError.notFound('patient');
  const known = new Set(row.known);
  const details: FieldError[] = depositIds
    .map((id, i) => ({ id, i }))
    .filter(({ id }) => !known.has(id))
    .map(({ i }) => ({ field: `evaluations[${i}].depositId`, messages: ['is not a deposit of this patient'] }));
  if (details.length) throw new DomainError(ErrorCode.Validation, details.map((d) => `${d.field} ${d.messages[0]}`).join('; '), details);
}
