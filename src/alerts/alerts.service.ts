import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type QueryDeepPartialEntity, type SelectQueryBuilder } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import type { Severity } from '../change-detection/types';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { assertVersion } from '../common/http/etag';
import { decodeCursor, DEFAULT_PAGE_SIZE, type Page, toPage } from '../common/http/pagination';
import { findDepositOrFail } from '../deposits/deposit-lookup';
import { findPatientOrFail } from '../patients/patient-lookup';
import { Alert, SEVERITY_RANK } from './alert.entity';
import { toAlertDetailDto, toAlertDto } from './alert.mapper';
import type { AlertQueryDto } from './dto/alert-query.dto';
import type { AlertDetailDto, AlertDto, AlertStatus } from './dto/alert.dto';
import type { ResolveAlertDto } from './dto/resolve-alert.dto';

/** What the inbox shows when no status is asked for: alerts still waiting for a decision. */
export const UNRESOLVED: readonly AlertStatus[] = ['open', 'acknowledged'];

/** The inbox's filters, already checked against the caller's clinic. */
export interface InboxFilter {
  clinicId: string;
  statuses: readonly AlertStatus[];
  severities?: readonly Severity[];
  patientId?: string;
  depositId?: string;
  rule?: string;
  /** only patients whose responsible physician is this user */
  responsiblePhysicianId?: string;
  /** the sort key of the last alert of the previous page: [severityRank, createdAt (ISO), id] */
  after?: [number, string, string] | null;
  limit: number;
}

/**
 * The inbox query: most severe first, then oldest first. It filters on clinic_id and status (and
 * severity_rank) and sorts on (severity_rank DESC, created_at, id), so PostgreSQL can read it from
 * alerts_inbox_idx. Exported so a test can EXPLAIN exactly the SQL the inbox runs.
 */
export function buildInboxQuery(manager: EntityManager, filter: InboxFilter): SelectQueryBuilder<Alert> {
  const qb = manager
    .getRepository(Alert)
    .createQueryBuilder('a')
    .where('a.clinic_id = :clinicId', { clinicId: filter.clinicId })
    .andWhere('a.status = ANY(:statuses::text[])', { statuses: [...new Set(filter.statuses)] })
    .orderBy('a.severity_rank', 'DESC')
    .addOrderBy('a.created_at', 'ASC')
    .addOrderBy('a.id', 'ASC')
    .limit(filter.limit + 1);
  if (filter.severities?.length) {
    qb.andWhere('a.severity_rank = ANY(:ranks::smallint[])', { ranks: [...new Set(filter.severities.map((s) => SEVERITY_RANK[s]))] });
  }
  if (filter.patientId) qb.andWhere('a.patient_id = :patientId', { patientId: filter.patientId });
  if (filter.depositId) qb.andWhere('a.deposit_id = :depositId', { depositId: filter.depositId });
  if (filter.rule) qb.andWhere('a.rule = :rule', { rule: filter.rule });
  if (filter.responsiblePhysicianId) {
    qb.andWhere('a.patient_id IN (SELECT p.id FROM patients p WHERE p.clinic_id = :clinicId AND p.responsible_physician_id = :physicianId)', {
      physicianId: filter.responsiblePhysicianId,
    });
  }
  if (filter.after) {
    // the key sorts one column descending and two ascending: no single row comparison expresses it
    qb.andWhere('(a.severity_rank < :afterRank OR (a.severity_rank = :afterRank AND (a.created_at, a.id) > (:afterCreatedAt::timestamptz, :afterId::uuid)))', {
      afterRank: filter.after[0],
      afterCreatedAt: filter.after[1],
      afterId: filter.after[2],
    });
  }
  return qb;
}

function inboxCursor(cursor: string | undefined): [number, string, string] | null {
  const key = decodeCursor(cursor, ['int', 'timestamp', 'uuid']);
  if (!key) return null;
  const rank = Number(key[0]);
  if (rank < 0 || rank > 3) throw DomainError.invalid('cursor', 'is not a cursor this list issued');
  return [rank, new Date(key[1]).toISOString(), key[2]];
}

/** Always within the caller's clinic: another clinic's alert is "not found", like a missing one. */
async function findAlertOrFail(manager: EntityManager, clinicId: string, id: string): Promise<Alert> {
  const alert = await manager.getRepository(Alert).findOne({ where: { id, clinicId } });
  if (!alert) throw DomainError.notFound('alert');
  return alert;
}

/** How often a change without If-Match is retried when a concurrent writer got to the alert first. */
const MAX_ATTEMPTS = 3;

@Injectable()
export class AlertsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(actor: AuthUser, query: AlertQueryDto): Promise<Page<AlertDto>> {
    const manager = this.db.manager;
    if (query.patientId) await findPatientOrFail(manager, actor.clinicId, query.patientId);
    if (query.depositId) await findDepositOrFail(manager, actor.clinicId, query.depositId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await buildInboxQuery(manager, {
      clinicId: actor.clinicId,
      statuses: query.status ?? UNRESOLVED,
      severities: query.severity,
      patientId: query.patientId,
      depositId: query.depositId,
      rule: query.rule,
      responsiblePhysicianId: query.mine ? actor.id : undefined,
      after: inboxCursor(query.cursor),
      limit,
    }).getMany();
    return toPage(rows, limit, (a) => [a.severityRank, a.createdAt.toISOString(), a.id], toAlertDto);
  }

  async get(actor: AuthUser, id: string): Promise<AlertDetailDto> {
    return toAlertDetailDto(await findAlertOrFail(this.db.manager, actor.clinicId, id));
  }

  /** open → acknowledged; acknowledging an acknowledged alert changes nothing; a resolved one is a 409. */
  async acknowledge(actor: AuthUser, id: string, ifMatchVersion?: number): Promise<AlertDetailDto> {
    return this.transition(actor, id, ifMatchVersion, async (_, alert) =>
      alert.status === 'acknowledged' ? null : { status: 'acknowledged', acknowledgedBy: actor.id, acknowledgedAt: () => 'now()' },
    );
  }

  /**
   * open or acknowledged → resolved, with the physician's decision. The reference date is the date
   * of the record current at the decision: change detection fires the rule again only on newer evidence.
   */
  async resolve(actor: AuthUser, id: string, dto: ResolveAlertDto, ifMatchVersion?: number): Promise<AlertDetailDto> {
    const note = typeof dto.note === 'string' ? dto.note.trim() : null;
    if (dto.decision === 'dismiss' && !note) throw DomainError.invalid('note', 'is required when the decision is dismiss');
    return this.transition(actor, id, ifMatchVersion, async (manager, alert) => ({
      status: 'resolved',
      decision: dto.decision,
      note,
      resolvedBy: actor.id,
      resolvedAt: () => 'now()',
      referenceDate: await referenceDateOf(manager, alert),
    }));
  }

  /**
   * One change of an alert's status, in a transaction: If-Match stale → 412; resolved → 409; then a
   * version-checked UPDATE. When a concurrent writer (another physician, or a visit adding evidence)
   * got there first, the UPDATE misses: with If-Match that is a 412; without, the change is tried
   * again on the new state (which may now be resolved: 409).
   */
  private async transition(
    actor: AuthUser,
    id: string,
    ifMatchVersion: number | undefined,
    changesOf: (manager: EntityManager, alert: Alert) => Promise<QueryDeepPartialEntity<Alert> | null>,
  ): Promise<AlertDetailDto> {
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.db.transaction(async (manager): Promise<Alert | 'missed'> => {
        const alert = await findAlertOrFail(manager, actor.clinicId, id);
        assertVersion(alert.version, ifMatchVersion, 'alert');
        if (alert.status === 'resolved') throw new DomainError(ErrorCode.Conflict, 'the alert is already resolved');
        const changes = await changesOf(manager, alert);
        if (changes === null) return alert;
        const result = await manager
          .createQueryBuilder()
          .update(Alert)
          .set({ ...changes, version: () => 'version + 1', updatedAt: () => 'now()' })
          .where('id = :id AND clinic_id = :clinicId AND version = :version', { id, clinicId: actor.clinicId, version: alert.version })
          .execute();
        if (result.affected !== 1) return 'missed';
        return findAlertOrFail(manager, actor.clinicId, id);
      });
      if (outcome !== 'missed') return toAlertDetailDto(outcome);
      if (ifMatchVersion !== undefined || attempt >= MAX_ATTEMPTS) throw DomainError.preconditionFailed('alert');
    }
  }
}

/**
 * The date of the record current when the physician decides: a deposit's latest evaluation, the
 * patient's latest lab for LAB_ABNORMAL, the patient's latest visit for other patient-level rules.
 */
export async function referenceDateOf(manager: EntityManager, alert: Alert): Promise<string | null> {
  const [row]: { latest: string | null }[] =
    alert.depositId !== null
      ? await manager.query(`SELECT max(visit_date) AS latest FROM evaluations WHERE clinic_id = $1 AND deposit_id = $2`, [alert.clinicId, alert.depositId])
      : alert.rule === 'LAB_ABNORMAL'
        ? await manager.query(`SELECT max(collected_on) AS latest FROM lab_results WHERE clinic_id = $1 AND patient_id = $2`, [alert.clinicId, alert.patientId])
        : await manager.query(`SELECT max(visit_date) AS latest FROM visits WHERE clinic_id = $1 AND patient_id = $2`, [alert.clinicId, alert.patientId]);
  return row?.latest ?? null;
}
