import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { assertVersion } from '../common/http/etag';
import { decodeCursor, DEFAULT_PAGE_SIZE, type Page, type PageQueryDto, toPage } from '../common/http/pagination';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Db } from '../database/db';
import type { CreateWebhookDto, DeliveryDto, DeliveryQueryDto, RotateWebhookSecretDto, UpdateWebhookDto, WebhookDto, WebhookWithSecretDto } from './dto/webhook.dto';
import { resolveTarget, UnsafeWebhookUrl } from './ssrf-guard';
import { SUBSCRIPTION_COLUMNS, toDeliveryDto, toWebhookDto, type AttemptRecord, type DeliveryRecord, type SubscriptionRecord } from './webhook.mapper';
import { generateWebhookSecret } from './webhook-signer';

const DEFAULT_OVERLAP_HOURS = 24;

/** Another clinic's subscription, or a deleted one, is "not found" like a missing one. */
async function findSubscriptionOrFail(manager: EntityManager, clinicId: string, id: string, lock = false): Promise<SubscriptionRecord> {
  const [row]: SubscriptionRecord[] = await manager.query(
    `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE clinic_id = $1 AND id = $2 AND deleted_at IS NULL${lock ? ' FOR NO KEY UPDATE' : ''}`,
    [clinicId, id],
  );
  if (!row) throw DomainError.notFound('webhook');
  return row;
}

/**
 * Webhook subscriptions of a clinic (admins only) and their delivery log. Every change is one
 * request, audited with it in its transaction. A target URL is checked against SSRF when it is
 * set, resolving its host, and again at every delivery.
 */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly db: Db,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(actor: AuthUser, dto: CreateWebhookDto): Promise<WebhookWithSecretDto> {
    const url = await this.checkedUrl(dto.url);
    const secret = generateWebhookSecret();
    const [row]: SubscriptionRecord[] = await this.db.query(
      `INSERT INTO webhook_subscriptions (clinic_id, url, description, events, min_severity, enabled, secret, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${SUBSCRIPTION_COLUMNS}`,
      [actor.clinicId, url, dto.description?.trim() ?? null, dto.events ?? null, dto.minSeverity ?? null, dto.enabled ?? true, secret, actor.id],
    );
    return { ...toWebhookDto(row), secret };
  }

  async list(actor: AuthUser, query: PageQueryDto): Promise<Page<WebhookDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, ['timestamp', 'uuid']);
    const rows: SubscriptionRecord[] = await this.db.query(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions
        WHERE clinic_id = $1 AND deleted_at IS NULL AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
        ORDER BY created_at, id LIMIT $4`,
      [actor.clinicId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return toPage(rows, limit, (r) => [r.created_at.toISOString(), r.id], toWebhookDto);
  }

  async get(actor: AuthUser, id: string): Promise<WebhookDto> {
    return toWebhookDto(await findSubscriptionOrFail(this.db.manager, actor.clinicId, id));
  }

  async update(actor: AuthUser, id: string, dto: UpdateWebhookDto, ifMatchVersion?: number): Promise<WebhookDto> {
    const manager = this.db.manager;
    const current = await findSubscriptionOrFail(manager, actor.clinicId, id, true);
    assertVersion(current.version, ifMatchVersion, 'webhook');
    const url = dto.url !== undefined ? await this.checkedUrl(dto.url) : current.url;
    const next = {
      url,
      description: dto.description !== undefined ? (dto.description?.trim() ?? null) : current.description,
      events: dto.events !== undefined ? dto.events : current.events,
      minSeverity: dto.minSeverity !== undefined ? dto.minSeverity : current.min_severity,
      enabled: dto.enabled ?? current.enabled,
    };
    const [row]: SubscriptionRecord[] = await manager
      .query(
        `UPDATE webhook_subscriptions SET url = $3, description = $4, events = $5, min_severity = $6, enabled = $7, version = version + 1, updated_at = now()
          WHERE clinic_id = $1 AND id = $2 RETURNING ${SUBSCRIPTION_COLUMNS}`,
        [actor.clinicId, id, next.url, next.description, next.events, next.minSeverity, next.enabled],
      )
      .then((r: [SubscriptionRecord[], number]) => r[0]);
    return toWebhookDto(row);
  }

  /** Deliveries stop: the pending ones are cancelled; the log stays (the subscription is kept, marked deleted). */
  async remove(actor: AuthUser, id: string, ifMatchVersion?: number): Promise<void> {
    const manager = this.db.manager;
    const current = await findSubscriptionOrFail(manager, actor.clinicId, id, true);
    assertVersion(current.version, ifMatchVersion, 'webhook');
    await manager.query(`UPDATE webhook_subscriptions SET deleted_at = now(), enabled = false, version = version + 1, updated_at = now() WHERE clinic_id = $1 AND id = $2`, [actor.clinicId, id]);
    await manager.query(
      `UPDATE webhook_deliveries SET state = 'cancelled', next_attempt_at = NULL, updated_at = now() WHERE clinic_id = $1 AND subscription_id = $2 AND state = 'pending'`,
      [actor.clinicId, id],
    );
  }

  /**
   * A new secret, shown once in this response. The old one keeps signing alongside it for
   * `overlapHours` (every delivery carries both signatures), so receivers can switch over.
   */
  async rotateSecret(actor: AuthUser, id: string, dto: RotateWebhookSecretDto, ifMatchVersion?: number): Promise<WebhookWithSecretDto> {
    const manager = this.db.manager;
    const current = await findSubscriptionOrFail(manager, actor.clinicId, id, true);
    assertVersion(current.version, ifMatchVersion, 'webhook');
    const secret = generateWebhookSecret();
    const overlapHours = dto.overlapHours ?? DEFAULT_OVERLAP_HOURS;
    const [row]: SubscriptionRecord[] = await manager
      .query(
        `UPDATE webhook_subscriptions
            SET previous_secret = CASE WHEN $4 > 0 THEN secret END,
                previous_secret_expires_at = CASE WHEN $4 > 0 THEN now() + $4 * interval '1 hour' END,
                secret = $3, version = version + 1, updated_at = now()
          WHERE clinic_id = $1 AND id = $2 RETURNING ${SUBSCRIPTION_COLUMNS}`,
        [actor.clinicId, id, secret, overlapHours],
      )
      .then((r: [SubscriptionRecord[], number]) => r[0]);
    return { ...toWebhookDto(row), secret };
  }

  /** Newest first, each with every attempt. */
  async deliveries(actor: AuthUser, id: string, query: DeliveryQueryDto): Promise<Page<DeliveryDto>> {
    const manager = this.db.manager;
    await findSubscriptionOrFail(manager, actor.clinicId, id);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, ['int', 'uuid']);
    const rows: DeliveryRecord[] = await manager.query(
      `SELECT d.id, d.notification_id, n.event, n.alert_id, d.state, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error,
              d.delivered_at, d.created_at, d.notification_seq
         FROM webhook_deliveries d JOIN notifications n ON n.clinic_id = d.clinic_id AND n.id = d.notification_id
        WHERE d.clinic_id = $1 AND d.subscription_id = $2 AND ($3::text IS NULL OR d.state = $3)
          AND ($4::bigint IS NULL OR (d.notification_seq, d.id) < ($4::bigint, $5::uuid))
        ORDER BY d.notification_seq DESC, d.id DESC LIMIT $6`,
      [actor.clinicId, id, query.state ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const attempts = await this.attemptsOf(manager, actor.clinicId, rows.slice(0, limit).map((r) => r.id));
    return toPage(rows, limit, (r) => [r.notification_seq, r.id], (r) => toDeliveryDto(r, attempts.get(r.id) ?? []));
  }

  /** A delivered or dead delivery goes out again (same webhook-id), first in its subscription's queue. */
  async resend(actor: AuthUser, id: string, deliveryId: string): Promise<DeliveryDto> {
    const manager = this.db.manager;
    await findSubscriptionOrFail(manager, actor.clinicId, id);
    const [delivery]: { state: string }[] = await manager.query(
      `SELECT state FROM webhook_deliveries WHERE clinic_id = $1 AND subscription_id = $2 AND id = $3 FOR UPDATE`,
      [actor.clinicId, id, deliveryId],
    );
    if (!delivery) throw DomainError.notFound('delivery');
    if (delivery.state === 'pending') throw new DomainError(ErrorCode.Conflict, 'the delivery is still pending: it is retried on its own');
    if (delivery.state === 'cancelled') throw new DomainError(ErrorCode.Conflict, 'the delivery was cancelled with its subscription');
    // a resend is a new series of attempts: it may again be retried for a day before it is dead
    await manager.query(
      `UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = now(), first_attempt_at = NULL, updated_at = now() WHERE clinic_id = $1 AND id = $2`,
      [actor.clinicId, deliveryId],
    );
    const [row]: DeliveryRecord[] = await manager.query(
      `SELECT d.id, d.notification_id, n.event, n.alert_id, d.state, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error,
              d.delivered_at, d.created_at, d.notification_seq
         FROM webhook_deliveries d JOIN notifications n ON n.clinic_id = d.clinic_id AND n.id = d.notification_id
        WHERE d.clinic_id = $1 AND d.id = $2`,
      [actor.clinicId, deliveryId],
    );
    const attempts = await this.attemptsOf(manager, actor.clinicId, [deliveryId]);
    return toDeliveryDto(row, attempts.get(deliveryId) ?? []);
  }

  private async attemptsOf(manager: EntityManager, clinicId: string, deliveryIds: string[]): Promise<Map<string, AttemptRecord[]>> {
    const out = new Map<string, AttemptRecord[]>();
    if (!deliveryIds.length) return out;
    const rows: AttemptRecord[] = await manager.query(
      `SELECT delivery_id, attempt, started_at, outcome, duration_ms, status_code, error, next_attempt_at
         FROM webhook_delivery_attempts WHERE clinic_id = $1 AND delivery_id = ANY($2::uuid[]) ORDER BY delivery_id, attempt`,
      [clinicId, deliveryIds],
    );
    for (const r of rows) out.set(r.delivery_id, [...(out.get(r.delivery_id) ?? []), r]);
    return out;
  }

  /** The URL, checked against SSRF now (resolved): a 400 naming `url` when it may not be reached. */
  private async checkedUrl(raw: string): Promise<string> {
    try {
      const target = await resolveTarget(raw.trim(), { allowHosts: this.config.notifications.webhooks.allowHosts });
      return target.url.toString();
    } catch (err) {
      if (err instanceof UnsafeWebhookUrl) throw DomainError.invalid('url', err.message);
      throw err;
    }
  }
}
