import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { runAsClinic } from '../database/tenant-context';

export const IDEMPOTENT_KEY = 'calcitrack:idempotent';

/** A creating POST that honours `Idempotency-Key` (SPEC: same key and body replays, another body 422, in flight 409). */
export const Idempotent = () =>
  applyDecorators(
    SetMetadata(IDEMPOTENT_KEY, true),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'retry-safe creation: the same key and body replay the first response (nothing new is stored); another body → 422; while the first is running → 409. Kept 24 hours.',
    }),
  );

/** A claim left 'running' this long belongs to a request that died: a retry may take it over. */
const STALE_AFTER_SECONDS = 120;
export const KEEP_HOURS = 24;

export type Claim = { kind: 'claimed' } | { kind: 'replay'; status: number; body: unknown };

export function validateKey(key: string): string {
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) throw DomainError.invalid('Idempotency-Key', 'must be 1–200 printable ASCII characters without spaces');
  return key;
}

/** What makes two requests "the same": the route they hit (with its ids) and their body. */
export function requestHash(method: string, path: string, body: unknown): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.keys(value as object).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]))
        : value;
  return createHash('sha256').update(`${method} ${path}\n${JSON.stringify(canonical(body ?? {}))}`).digest('hex');
}

/**
 * Claims the key in a transaction of its own, committed at once, so concurrent retries see it.
 * Returns 'claimed' (go ahead), or the first response to replay; throws 422 for another request
 * under the same key, 409 while the first is still running.
 */
export async function claimKey(dataSource: DataSource, clinicId: string, userId: string, key: string, hash: string): Promise<Claim> {
  return runAsClinic(dataSource, clinicId, async (manager) => {
    // an expired key is forgotten before it can be reused
    await manager.query(`DELETE FROM idempotency_keys WHERE clinic_id = $1 AND key = $2 AND created_at < now() - make_interval(hours => $3)`, [clinicId, key, KEEP_HOURS]);
    const inserted: unknown[] = await manager.query(
      `INSERT INTO idempotency_keys (clinic_id, key, user_id, request_hash, status) VALUES ($1, $2, $3, $4, 'running')
       ON CONFLICT (clinic_id, key) DO NOTHING RETURNING key`,
      [clinicId, key, userId, hash],
    );
    if (inserted.length) return { kind: 'claimed' };
    const [row]: { request_hash: string; status: string; response_status: number | null; response_body: unknown; stale: boolean }[] = await manager.query(
      `SELECT request_hash, status, response_status, response_body, started_at < now() - make_interval(secs => $3) AS stale
         FROM idempotency_keys WHERE clinic_id = $1 AND key = $2 FOR UPDATE`,
      [clinicId, key, STALE_AFTER_SECONDS],
    );
    if (!row) return { kind: 'claimed' }; // removed meanwhile (it failed): nothing was stored under it
    if (row.request_hash !== hash) {
      throw new DomainError(ErrorCode.Unprocessable, 'Idempotency-Key: this key was used for a different request');
    }
    if (row.status === 'done') return { kind: 'replay', status: row.response_status ?? 200, body: row.response_body };
    if (!row.stale) throw new DomainError(ErrorCode.Conflict, 'Idempotency-Key: the first request with this key is still being processed; retry shortly');
    await manager.query(`UPDATE idempotency_keys SET started_at = now() WHERE clinic_id = $1 AND key = $2`, [clinicId, key]);
    return { kind: 'claimed' };
  });
}

/** Stores the response in the request's transaction: it commits with what it created, or not at all. */
export async function completeKey(manager: EntityManager, clinicId: string, key: string, status: number, body: unknown): Promise<void> {
  await manager.query(
    `UPDATE idempotency_keys SET status = 'done', response_status = $3, response_body = $4::jsonb WHERE clinic_id = $1 AND key = $2`,
    [clinicId, key, status, JSON.stringify(body ?? null)],
  );
}

/** The request failed: nothing was stored, so the key is free for a retry. */
export async function releaseKey(dataSource: DataSource, clinicId: string, key: string): Promise<void> {
  await runAsClinic(dataSource, clinicId, (manager) => manager.query(`DELETE FROM idempotency_keys WHERE clinic_id = $1 AND key = $2 AND status = 'running'`, [clinicId, key]));
}
