import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Login sessions: a refresh token that rotates on every use (only its hash is stored), an absolute
 * lifetime, and revocation (logout, reuse of an old refresh token, a disabled account).
 * Also the index the login throttle reads: recent failed logins by client address.
 */
export class Sessions1764170000000 implements MigrationInterface {
  name = 'Sessions1764170000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        clinic_id uuid NOT NULL,
        user_id uuid NOT NULL,
        refresh_token_hash text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        refreshed_at timestamptz(3),
        expires_at timestamptz(3) NOT NULL,
        revoked_at timestamptz(3),
        revoked_reason text,
        FOREIGN KEY (clinic_id, user_id) REFERENCES users (clinic_id, id)
      )`);
    await q.query(`CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE INDEX audit_events_failed_logins_idx ON audit_events (client_ip, occurred_at)
       WHERE action = 'auth.login' AND status_code = 401`);
    await q.query(`
      CREATE INDEX audit_events_failed_account_logins_idx ON audit_events (actor_id, occurred_at)
       WHERE action = 'auth.login' AND status_code = 401`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS audit_events_failed_account_logins_idx`);
    await q.query(`DROP INDEX IF EXISTS audit_events_failed_logins_idx`);
    await q.query(`DROP TABLE IF EXISTS sessions`);
  }
}
