import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail: append-only (the database refuses UPDATE, DELETE and TRUNCATE, whoever asks),
 * and each clinic's events form a hash chain: every row's hash covers its own fields and the hash
 * of the row before it, so an altered or removed row breaks the chain at that point.
 * Events of no clinic (a failed login for an unknown email) form their own chain.
 */
export class AuditTrail1764160000000 implements MigrationInterface {
  name = 'AuditTrail1764160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        clinic_id uuid REFERENCES clinics (clinic_id),
        seq bigint NOT NULL,
        occurred_at timestamptz(3) NOT NULL DEFAULT now(),
        actor_id uuid,
        actor_role text,
        patient_id uuid,
        action text NOT NULL,
        record_type text,
        record_id text,
        outcome text NOT NULL CHECK (outcome IN ('success', 'denied', 'not-found', 'rejected', 'error')),
        status_code smallint,
        client_ip text,
        request_id text,
        prev_hash text NOT NULL,
        hash text NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX audit_events_chain_key ON audit_events (coalesce(clinic_id, '00000000-0000-0000-0000-000000000000'::uuid), seq)`);
    await q.query(`CREATE INDEX audit_events_clinic_time_idx ON audit_events (clinic_id, occurred_at DESC, seq DESC)`);
    await q.query(`CREATE INDEX audit_events_patient_idx ON audit_events (clinic_id, patient_id, occurred_at DESC)`);
    await q.query(`CREATE INDEX audit_events_actor_idx ON audit_events (clinic_id, actor_id, occurred_at DESC)`);

    // The digest of one event: the previous hash and every field, in a fixed order and format.
    await q.query(`
      CREATE FUNCTION audit_event_digest(e audit_events) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT encode(sha256(convert_to(concat_ws('|',
          e.prev_hash, coalesce(e.clinic_id::text, ''), e.seq::text,
          to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          coalesce(e.actor_id::text, ''), coalesce(e.actor_role, ''), coalesce(e.patient_id::text, ''),
          e.action, coalesce(e.record_type, ''), coalesce(e.record_id, ''), e.outcome,
          coalesce(e.status_code::text, ''), coalesce(e.client_ip, ''), coalesce(e.request_id, '')
        ), 'UTF8')), 'hex')
      $$`);

    // Links each new event to its chain: one writer per chain at a time (a transaction-scoped lock).
    await q.query(`
      CREATE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        chain uuid := coalesce(NEW.clinic_id, '00000000-0000-0000-0000-000000000000'::uuid);
        last audit_events%ROWTYPE;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended('audit:' || chain::text, 0));
        SELECT * INTO last FROM audit_events
         WHERE coalesce(clinic_id, '00000000-0000-0000-0000-000000000000'::uuid) = chain
         ORDER BY seq DESC LIMIT 1;
        NEW.seq := coalesce(last.seq, 0) + 1;
        NEW.prev_hash := coalesce(last.hash, repeat('0', 64));
        NEW.occurred_at := date_trunc('milliseconds', coalesce(NEW.occurred_at, now()));
        NEW.hash := audit_event_digest(NEW);
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_event_chain()`);
    await q.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await q.query(`
      CREATE FUNCTION refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'TRUNCATE on % is not allowed: rows are append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS audit_events`);
    await q.query(`DROP FUNCTION IF EXISTS audit_event_chain()`);
    await q.query(`DROP FUNCTION IF EXISTS audit_event_digest(audit_events)`);
    await q.query(`DROP FUNCTION IF EXISTS refuse_truncate()`);
  }
}
