import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { DomainError } from '../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, type Page, toPage } from '../common/http/pagination';
import { Db } from '../database/db';
import { AuditEvent } from './audit-event.entity';
import type { AuditEventDto, AuditQueryDto } from './dto/audit-event.dto';

function toAuditEventDto(e: AuditEvent): AuditEventDto {
  return {
    id: e.id,
    seq: Number(e.seq),
    occurredAt: e.occurredAt,
    actorId: e.actorId,
    actorRole: e.actorRole,
    clinicId: e.clinicId,
    patientId: e.patientId,
    action: e.action,
    recordType: e.recordType,
    recordId: e.recordId,
    outcome: e.outcome,
    statusCode: e.statusCode,
    clientIp: e.clientIp,
    requestId: e.requestId,
    hash: e.hash,
  };
}

@Injectable()
export class AuditService {
  constructor(private readonly db: Db) {}

  /** The clinic's trail, newest first. */
  async list(actor: AuthUser, query: AuditQueryDto): Promise<Page<AuditEventDto>> {
    if (query.from && query.to && query.from > query.to) throw DomainError.invalid('to', 'must not be before from');
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, ['int']);
    const qb = this.db
      .getRepository(AuditEvent)
      .createQueryBuilder('a')
      .where('a.clinic_id = :clinicId', { clinicId: actor.clinicId })
      .orderBy('a.seq', 'DESC')
      .limit(limit + 1);
    if (query.patientId) qb.andWhere('a.patient_id = :patientId', { patientId: query.patientId });
    if (query.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: query.actorId });
    if (query.from) qb.andWhere('a.occurred_at >= :from::date', { from: query.from });
    if (query.to) qb.andWhere("a.occurred_at < (:to::date + interval '1 day')", { to: query.to });
    if (after) qb.andWhere('a.seq < :seq', { seq: after[0] });
    const rows = await qb.getMany();
    return toPage(rows, limit, (e) => [e.seq], toAuditEventDto);
  }
}
