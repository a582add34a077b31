import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotent creation: the first response to a creating POST with an `Idempotency-Key`, stored in
 * the same transaction as what it created and replayed to a retry with the same key and body.
 * Kept 24 hours. Row-level security as on the clinical tables (responses hold clinical data).
 */
export class IdempotencyKeys1764180000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        clinic_id uuid NOT NULL REFERENCES clinics (clinic_id),
        key text NOT NULL,
        user_id uuid NOT NULL,
        request_hash text NOT NULL,
        status text NOT NULL CHECK (status IN ('running', 'done')),
        response_status smallint,
        response_body jsonb,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        started_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (clinic_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);
    await q.query(`ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY idempotency_keys_clinic_isolation ON idempotency_keys
        USING (clinic_id = nullif(current_setting('app.clinic_id', true), '')::uuid OR current_setting('app.rls_bypass', true) = 'on')
        WITH CHECK (clinic_id = nullif(current_setting('app.clinic_id', true), '')::uuid OR current_setting('app.rls_bypass', true) = 'on')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS idempotency_keys`);
  }
}
