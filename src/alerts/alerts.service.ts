import { Db } from '../database/db';
import { Injectable } from '@nestjs/common';
import { type EntityManager, type QueryDeepPartialEntity } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import type { Severity } from '../change-detection/types';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { assertVersion } from '../common/http/etag';
import { decodeCursor, DEFAULT_PAGE_SIZE, toJsonPage } from '../common/http/pagination';
import { findDepositOrFail } from '../deposits/deposit-lookup';
import { recordAlertEvent } from '../notifications/notification-outbox';
import { findPatientOrFail } from '../patients/patient-lookup';
import { Alert, SEVERITY_RANK } from './alert.entity';
import { type ListedAlert, toAlertDetailDto } from './alert.mapper';
import type { AlertQueryDto } from './dto/alert-query.dto';
import type { AlertDetailDto, AlertStatus, InboxAlertDto } from './dto/alert.dto';
import type { ResolveAlertDto } from './dto/resolve-alert.dto';
import { isoTimestampSql } from '../database/iso-timestamp';
import { preparedQuery } from '../database/prepared';

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

export interface SqlQuery {
  sql: string;
  params: unknown[];
}

/**
 * The inbox query: most severe first, then oldest first, filtered on clinic and status. One lateral
 * subquery per asked-for status reads alerts_inbox_idx (clinic_id, status, severity_rank DESC,
 * created_at, id) with status fixed, so its rows come out already in inbox order and the scan stops
 * after a page; the outer query merges at most (statuses × page) rows. (A single scan with
 * `status = ANY(...)` would have to sort every unresolved alert of the clinic for each page.) The
 * page's alerts are then joined to their patients and deposits by primary key: one statement.
 * Exported so a test can EXPLAIN exactly the SQL the inbox runs.
 */
export function buildInboxQuery(manager: EntityManager, filter: InboxFilter): SqlQuery {
  const params: unknown[] = [];
  const param = (value: unknown): string => `$${params.push(value)}`;
  const clinicId = param(filter.clinicId);
  const statuses = param([...new Set(filter.statuses)]);
  const conditions = [`a.clinic_id = ${clinicId}`, 'a.status = s.status'];
  if (filter.severities?.length) conditions.push(`a.severity_rank = ANY(${param([...new Set(filter.severities.map((x) => SEVERITY_RANK[x]))])}::smallint[])`);
  if (filter.patientId) conditions.push(`a.patient_id = ${param(filter.patientId)}`);
  if (filter.depositId) conditions.push(`a.deposit_id = ${param(filter.depositId)}`);
  if (filter.rule) conditions.push(`a.rule = ${param(filter.rule)}`);
  if (filter.responsiblePhysicianId) {
    conditions.push(
      `EXISTS (SELECT 1 FROM patients p WHERE p.clinic_id = a.clinic_id AND p.id = a.patient_id AND p.responsible_physician_id = ${param(filter.responsiblePhysicianId)})`,
    );
  }
  const limit = param(filter.limit + 1);
  // the columns the list shows (and sorts and joins on): not the evidence history nor the reference date, which only the alert's own page has
  const columns = manager.connection
    .getMetadata(Alert)
    .columns.filter((c) => !NOT_LISTED.has(c.propertyName))
    .map((c) => `a.${c.databaseName} AS "${c.propertyName}"`)
    .join(', ');
  const order = 'ORDER BY a.severity_rank DESC, a.created_at, a.id';
  const scan = (extra: string[]) => `SELECT ${columns} FROM alerts a
     WHERE ${[...conditions, ...extra].join('\n       AND ')}
     ${order}
     LIMIT ${limit}`;
  let perStatus: string;
  if (filter.after) {
    // The key sorts one column descending and two ascending, so no single row comparison says
    // "after". It is two index ranges: the rest of the cursor's severity rank after (created_at,
    // id), then every lower rank — each one a range of alerts_inbox_idx, so a page deep in the
    // inbox reads about as many rows as the first (one range with a filter read and discarded
    // every row of the earlier pages at the cursor's rank).
    const [rank, createdAt, id] = [param(filter.after[0]), param(filter.after[1]), param(filter.after[2])];
    perStatus = `SELECT * FROM (
    (${scan([`a.severity_rank = ${rank}::smallint`, `(a.created_at, a.id) > (${createdAt}::timestamptz, ${id}::uuid)`])})
    UNION ALL
    (${scan([`a.severity_rank < ${rank}::smallint`])})
  ) ranges ORDER BY "severityRank" DESC, "createdAt", id LIMIT ${limit}`;
  } else {
    perStatus = scan([]);
  }
  // the page's alerts, then each one's patient (MRN, name) and deposit (label) by primary key, each
  // written out as the JSON of its inbox item
  const sql = `SELECT page."severityRank" AS rank, ${isoTimestampSql('page."createdAt"')} AS at, page.id,
       json_build_object(${INBOX_ITEM_JSON})::text AS item
  FROM (
    SELECT page.* FROM unnest(${statuses}::text[]) AS s(status)
    CROSS JOIN LATERAL (
      ${perStatus}
    ) page
    ORDER BY page."severityRank" DESC, page."createdAt", page.id
    LIMIT ${limit}
  ) page
  LEFT JOIN patients p ON p.clinic_id = page."clinicId" AND p.id = page."patientId"
  LEFT JOIN deposits d ON d.clinic_id = page."clinicId" AND d.id = page."depositId"
  ORDER BY page."severityRank" DESC, page."createdAt", page.id`;
  return { sql, params };
}

const NOT_LISTED = new Set<string>(['evidenceHistory', 'referenceDate'] satisfies Exclude<keyof Alert, keyof ListedAlert>[]);

/**
 * An inbox item as PostgreSQL writes it: every key of InboxAlertDto, in toAlertDto's order, from
 * the page's columns (named after the entity's properties) and its patient and deposit. The service
 * passes the items through instead of parsing 50 alerts into objects (their evidence, their dates)
 * and writing them out again. test/alert-inbox.e2e-spec.ts checks each item against the alert's own page.
 */
const INBOX_ITEM: Record<keyof InboxAlertDto, string> = {
  id: 'page.id',
  patientId: 'page."patientId"',
  depositId: 'page."depositId"',
  rule: 'page.rule',
  severity: 'page.severity',
  status: 'page.status',
  message: 'page.message',
  evidence: 'page.evidence',
  suggestedAction: 'page."suggestedAction"',
  settingsVersion: 'page."settingsVersion"',
  version: 'page.version',
  createdAt: isoTimestampSql('page."createdAt"'),
  updatedAt: isoTimestampSql('page."updatedAt"'),
  acknowledgedBy: 'page."acknowledgedBy"',
  acknowledgedAt: isoTimestampSql('page."acknowledgedAt"'),
  decision: 'page.decision',
  note: 'page.note',
  resolvedBy: 'page."resolvedBy"',
  resolvedAt: isoTimestampSql('page."resolvedAt"'),
  patientMrn: "coalesce(p.mrn, '')",
  patientName: "coalesce(p.name, '')",
  depositLabel: 'd.label',
};
const INBOX_ITEM_JSON = Object.entries(INBOX_ITEM).map(([key, value]) => `'${key}', ${value}`).join(', ');

/** A row of the inbox query: the alert's sort key (for the cursor) and its item as JSON. */
interface InboxRow {
  rank: number;
  at: string;
  id: string;
  item: string;
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
  constructor(private readonly db: Db) {}

  /** The page as JSON text (AlertPageDto): its items are written by the query itself. */
  async list(actor: AuthUser, query: AlertQueryDto): Promise<string> {
    const manager = this.db.manager;
    if (query.patientId) await findPatientOrFail(manager, actor.clinicId, query.patientId);
    if (query.depositId) await findDepositOrFail(manager, actor.clinicId, query.depositId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const inbox = buildInboxQuery(manager, {
      clinicId: actor.clinicId,
      statuses: query.status ?? UNRESOLVED,
      severities: query.severity,
      patientId: query.patientId,
      depositId: query.depositId,
      rule: query.rule,
      responsiblePhysicianId: query.mine ? actor.id : undefined,
      after: inboxCursor(query.cursor),
      limit,
    });
    const rows = await preparedQuery<InboxRow>(manager, inbox.sql, inbox.params);
    return toJsonPage(rows, limit, (row) => [row.rank, row.at, row.id], (row) => row.item);
  }

  async get(actor: AuthUser, id: string): Promise<AlertDetailDto> {
    return this.detail(this.db.manager, await findAlertOrFail(this.db.manager, actor.clinicId, id));
  }

  /** The alert with the names of who acknowledged and who decided (the inbox says who, not an id). */
  private async detail(manager: EntityManager, alert: Alert): Promise<AlertDetailDto> {
    const ids = [alert.acknowledgedBy, alert.resolvedBy].filter((id): id is string => id !== null);
    const users: { id: string; name: string }[] = ids.length
      ? await manager.query(`SELECT id, name FROM users WHERE clinic_id = $1 AND id = ANY($2::uuid[])`, [alert.clinicId, ids])
      : [];
    return toAlertDetailDto(alert, new Map(users.map((u) => [u.id, u.name])));
  }

  /** open → acknowledged; acknowledging an acknowledged alert changes nothing; a resolved one is a 409. */
  async acknowledge(actor: AuthUser, id: string, ifMatchVersion?: number): Promise<AlertDetailDto> {
    return this.transition(actor, id, ifMatchVersion, null, async (_, alert) =>
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
    const notify = (manager: EntityManager, resolved: Alert) => recordAlertEvent(manager, resolved, 'alert.resolved');
    return this.transition(actor, id, ifMatchVersion, notify, async (manager, alert) => {
      // A visit holds its patient's row lock while it stores evaluations and runs change detection.
      // Waiting for it here means the reference date counts every visit stored before the decision,
      // and no visit still in flight raises the rule again from evidence the physician has decided on.
      await manager.query('SELECT 1 FROM patients WHERE clinic_id = $1 AND id = $2 FOR SHARE', [alert.clinicId, alert.patientId]);
      return {
        status: 'resolved',
        decision: dto.decision,
        note,
        resolvedBy: actor.id,
        resolvedAt: () => 'now()',
        referenceDate: await referenceDateOf(manager, alert),
      };
    });
  }

  /**
   * One change of an alert's status, in a transaction: If-Match stale → 412; resolved → 409; then a
   * version-checked UPDATE. When a concurrent writer (another physician, or a visit adding evidence)
   * got there first, the UPDATE misses: with If-Match that is a 412; without, the change is tried
   * again on the new state (which may now be resolved: 409). `afterChange` runs in the same
   * transaction on the changed alert (the outbox event of a resolution).
   */
  private async transition(
    actor: AuthUser,
    id: string,
    ifMatchVersion: number | undefined,
    afterChange: ((manager: EntityManager, alert: Alert) => Promise<void>) | null,
    changesOf: (manager: EntityManager, alert: Alert) => Promise<QueryDeepPartialEntity<Alert> | null>,
  ): Promise<AlertDetailDto> {
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.db.transaction(async (manager): Promise<AlertDetailDto | 'missed'> => {
        const alert = await findAlertOrFail(manager, actor.clinicId, id);
        assertVersion(alert.version, ifMatchVersion, 'alert');
        if (alert.status === 'resolved') throw new DomainError(ErrorCode.Conflict, 'the alert is already resolved');
        const changes = await changesOf(manager, alert);
        if (changes === null) return this.detail(manager, alert);
        const result = await manager
          .createQueryBuilder()
          .update(Alert)
          .set({ ...changes, version: () => 'version + 1', updatedAt: () => 'now()' })
          .where('id = :id AND clinic_id = :clinicId AND version = :version', { id, clinicId: actor.clinicId, version: alert.version })
          .execute();
        if (result.affected !== 1) return 'missed';
        const changed = await findAlertOrFail(manager, actor.clinicId, id);
        await afterChange?.(manager, changed);
        return this.detail(manager, changed);
      });
      if (outcome !== 'missed') return outcome;
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
