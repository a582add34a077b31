import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Request counters every instance shares: one row per key (a user, a client address) holding the
 * current window's count, bumped by one upsert per request. UNLOGGED: counters are rewritten all
 * the time and worth nothing after a crash (PostgreSQL empties an unlogged table on crash recovery,
 * which at worst forgives the current minute), so they skip the write-ahead log.
 */
export class RateLimitCounters1764210000001 implements MigrationInterface {
  name = 'RateLimitCounters1764210000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE rate_limit_counters (
        key text PRIMARY KEY,
        window_ends timestamptz(3) NOT NULL,
        hits int NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS rate_limit_counters`);
  }
}
