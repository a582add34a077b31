import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables whose primary key was `(id)` and becomes `(clinic_id, id)`. */
const REKEYED = [
  'patients', 'visits', 'deposits', 'evaluations', 'evaluation_versions', 'lab_results',
  'treatments', 'alerts', 'rule_settings', 'sessions', 'audit_events',
];

/** The tables that also had a separate `UNIQUE (clinic_id, id)`, now the primary key itself. */
const HAD_CLINIC_ID_KEY = ['patients', 'visits', 'deposits', 'evaluations', 'lab_results', 'treatments', 'alerts'];

/** Foreign keys that rest on a `UNIQUE (clinic_id, id)` being replaced; re-created on the new primary keys. */
const REFERENCING: { table: string; name: string; columns: string; target: string }[] = [
  { table: 'visits', name: 'visits_clinic_id_patient_id_fkey', columns: 'clinic_id, patient_id', target: 'patients' },
  { table: 'deposits', name: 'deposits_clinic_id_patient_id_fkey', columns: 'clinic_id, patient_id', target: 'patients' },
  { table: 'lab_results', name: 'lab_results_clinic_id_patient_id_fkey', columns: 'clinic_id, patient_id', target: 'patients' },
  { table: 'treatments', name: 'treatments_clinic_id_patient_id_fkey', columns: 'clinic_id, patient_id', target: 'patients' },
  { table: 'alerts', name: 'alerts_clinic_id_patient_id_fkey', columns: 'clinic_id, patient_id', target: 'patients' },
  { table: 'deposits', name: 'deposits_clinic_id_first_visit_id_fkey', columns: 'clinic_id, first_visit_id', target: 'visits' },
  { table: 'evaluations', name: 'evaluations_clinic_id_visit_id_fkey', columns: 'clinic_id, visit_id', target: 'visits' },
  { table: 'lab_results', name: 'lab_results_clinic_id_visit_id_fkey', columns: 'clinic_id, visit_id', target: 'visits' },
  { table: 'evaluation_versions', name: 'evaluation_versions_clinic_id_evaluation_id_fkey', columns: 'clinic_id, evaluation_id', target: 'evaluations' },
];

const NO_CLINIC = `'00000000-0000-0000-0000-000000000000'::uuid`;

/**
 * Keys a distributed database can enforce. Citus shards a table by one column (here `clinic_id`)
 * and enforces a primary key, unique constraint or foreign key only within a shard, so each must
 * include that column, and a foreign key between two distributed tables must pair `clinic_id` with
 * `clinic_id`. Every clinic table's primary key becomes `(clinic_id, id)`, the unique constraints
 * that lacked `clinic_id` gain it, and the foreign keys point at the new primary keys.
 *
 * A distribution column cannot be NULL: audit events that belong to no clinic (a failed login of an
 * unknown email, a request without a valid token) move to `audit_events_unscoped`, with their own
 * hash chain, append-only triggers and the same digest (so the moved rows verify unchanged), and
 * `audit_events.clinic_id` becomes NOT NULL. `clinics` and `users` (emails are unique across
 * clinics) stay as they are: in a Citus cluster they are reference tables. See docs/scaling.md.
 */
export class CitusReadyKeys1764210000000 implements MigrationInterface {
  name = 'CitusReadyKeys1764210000000';

  async up(q: QueryRunner): Promise<void> {
    for (const fk of REFERENCING) await q.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${fk.name}`);
    for (const table of REKEYED) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey`);
      if (HAD_CLINIC_ID_KEY.includes(table)) await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_clinic_id_id_key`);
    }
    await this.moveUnscopedAuditEvents(q);
    for (const table of REKEYED) await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY (clinic_id, id)`);
    for (const fk of REFERENCING) {
      await q.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} FOREIGN KEY (${fk.columns}) REFERENCES ${fk.target} (clinic_id, id)`);
    }

    await q.query(`ALTER TABLE evaluations DROP CONSTRAINT evaluations_one_per_deposit_and_visit`);
    await q.query(`ALTER TABLE evaluations ADD CONSTRAINT evaluations_one_per_deposit_and_visit UNIQUE (clinic_id, visit_id, deposit_id)`);
    await q.query(`ALTER TABLE evaluation_versions DROP CONSTRAINT evaluation_versions_evaluation_id_version_key`);
    await q.query(`ALTER TABLE evaluation_versions ADD CONSTRAINT evaluation_versions_clinic_id_evaluation_id_version_key UNIQUE (clinic_id, evaluation_id, version)`);
    // sessions pointed at users but not at their clinic
    await q.query(`ALTER TABLE sessions ADD CONSTRAINT sessions_clinic_id_fkey FOREIGN KEY (clinic_id) REFERENCES clinics (clinic_id)`);
  }

  /** The clinic-less events to their own table; then each clinic's chain is keyed by (clinic_id, seq). */
  private async moveUnscopedAuditEvents(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_events_unscoped (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
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
        hash text NOT NULL,
        CONSTRAINT audit_events_unscoped_chain_key UNIQUE (seq)
      )`);
    await q.query(`CREATE INDEX audit_events_unscoped_time_idx ON audit_events_unscoped (occurred_at DESC, seq DESC)`);
    await q.query(`
      CREATE INDEX audit_events_unscoped_failed_logins_idx ON audit_events_unscoped (client_ip, occurred_at)
       WHERE action = 'auth.login' AND status_code = 401`);

    // The digest of audit_events with an empty clinic: rows hashed while they sat in audit_events
    // (clinic_id NULL there) keep their hashes.
    await q.query(`
      CREATE FUNCTION audit_event_unscoped_digest(e audit_events_unscoped) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT encode(sha256(convert_to(concat_ws('|',
          e.prev_hash, '', e.seq::text,
          to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          coalesce(e.actor_id::text, ''), coalesce(e.actor_role, ''), coalesce(e.patient_id::text, ''),
          e.action, coalesce(e.record_type, ''), coalesce(e.record_id, ''), e.outcome,
          coalesce(e.status_code::text, ''), coalesce(e.client_ip, ''), coalesce(e.request_id, '')
        ), 'UTF8')), 'hex')
      $$`);

    await q.query(`
      INSERT INTO audit_events_unscoped (id, seq, occurred_at, actor_id, actor_role, patient_id, action, record_type, record_id,
                                         outcome, status_code, client_ip, request_id, prev_hash, hash)
      SELECT id, seq, occurred_at, actor_id, actor_role, patient_id, action, record_type, record_id,
             outcome, status_code, client_ip, request_id, prev_hash, hash
        FROM audit_events WHERE clinic_id IS NULL`);
    // the one sanctioned removal from the trail: the rows now live, unchanged, in audit_events_unscoped
    await q.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`);
    await q.query(`DELETE FROM audit_events WHERE clinic_id IS NULL`);
    await q.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`);

    await q.query(`
      CREATE FUNCTION audit_event_unscoped_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        last audit_events_unscoped%ROWTYPE;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended('audit:' || ${NO_CLINIC}::text, 0));
        SELECT * INTO last FROM audit_events_unscoped ORDER BY seq DESC LIMIT 1;
        NEW.seq := coalesce(last.seq, 0) + 1;
        NEW.prev_hash := coalesce(last.hash, repeat('0', 64));
        NEW.occurred_at := date_trunc('milliseconds', coalesce(NEW.occurred_at, now()));
        NEW.hash := audit_event_unscoped_digest(NEW);
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER audit_events_unscoped_chain BEFORE INSERT ON audit_events_unscoped FOR EACH ROW EXECUTE FUNCTION audit_event_unscoped_chain()`);
    await q.query(`CREATE TRIGGER audit_events_unscoped_append_only BEFORE UPDATE OR DELETE ON audit_events_unscoped FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await q.query(`CREATE TRIGGER audit_events_unscoped_no_truncate BEFORE TRUNCATE ON audit_events_unscoped FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate()`);

    await q.query(`ALTER TABLE audit_events ALTER COLUMN clinic_id SET NOT NULL`);
    await q.query(`DROP INDEX audit_events_chain_key`);
    await q.query(`ALTER TABLE audit_events ADD CONSTRAINT audit_events_chain_key UNIQUE (clinic_id, seq)`);
    // one chain per clinic; the lock key is the one the previous version of this function took
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        last audit_events%ROWTYPE;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended('audit:' || NEW.clinic_id::text, 0));
        SELECT * INTO last FROM audit_events WHERE clinic_id = NEW.clinic_id ORDER BY seq DESC LIMIT 1;
        NEW.seq := coalesce(last.seq, 0) + 1;
        NEW.prev_hash := coalesce(last.hash, repeat('0', 64));
        NEW.occurred_at := date_trunc('milliseconds', coalesce(NEW.occurred_at, now()));
        NEW.hash := audit_event_digest(NEW);
        RETURN NEW;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sessions DROP CONSTRAINT sessions_clinic_id_fkey`);
    await q.query(`ALTER TABLE evaluation_versions DROP CONSTRAINT evaluation_versions_clinic_id_evaluation_id_version_key`);
    await q.query(`ALTER TABLE evaluation_versions ADD CONSTRAINT evaluation_versions_evaluation_id_version_key UNIQUE (evaluation_id, version)`);
    await q.query(`ALTER TABLE evaluations DROP CONSTRAINT evaluations_one_per_deposit_and_visit`);
    await q.query(`ALTER TABLE evaluations ADD CONSTRAINT evaluations_one_per_deposit_and_visit UNIQUE (visit_id, deposit_id)`);

    for (const fk of REFERENCING) await q.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${fk.name}`);
    for (const table of REKEYED) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY (id)`);
      if (HAD_CLINIC_ID_KEY.includes(table)) await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_clinic_id_id_key UNIQUE (clinic_id, id)`);
    }
    for (const fk of REFERENCING) {
      await q.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} FOREIGN KEY (${fk.columns}) REFERENCES ${fk.target} (clinic_id, id)`);
    }

    // The clinic-less events back into audit_events with their seq and hashes, chain and all.
    await q.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_chain_key`);
    await q.query(`ALTER TABLE audit_events ALTER COLUMN clinic_id DROP NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX audit_events_chain_key ON audit_events (coalesce(clinic_id, ${NO_CLINIC}), seq)`);
    await q.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_chain`);
    await q.query(`
      INSERT INTO audit_events (id, clinic_id, seq, occurred_at, actor_id, actor_role, patient_id, action, record_type, record_id,
                                outcome, status_code, client_ip, request_id, prev_hash, hash)
      SELECT id, NULL, seq, occurred_at, actor_id, actor_role, patient_id, action, record_type, record_id,
             outcome, status_code, client_ip, request_id, prev_hash, hash
        FROM audit_events_unscoped`);
    await q.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_chain`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        chain uuid := coalesce(NEW.clinic_id, ${NO_CLINIC});
        last audit_events%ROWTYPE;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended('audit:' || chain::text, 0));
        SELECT * INTO last FROM audit_events
         WHERE coalesce(clinic_id, ${NO_CLINIC}) = chain
         ORDER BY seq DESC LIMIT 1;
        NEW.seq := coalesce(last.seq, 0) + 1;
        NEW.prev_hash := coalesce(last.hash, repeat('0', 64));
        NEW.occurred_at := date_trunc('milliseconds', coalesce(NEW.occurred_at, now()));
        NEW.hash := audit_event_digest(NEW);
        RETURN NEW;
      END $$`);
    // the digest takes the table's row type, the trigger needs its function: in this order
    await q.query(`DROP FUNCTION audit_event_unscoped_digest(audit_events_unscoped)`);
    await q.query(`DROP TABLE audit_events_unscoped`); // DROP is not TRUNCATE: the trigger allows it
    await q.query(`DROP FUNCTION audit_event_unscoped_chain()`);
  }
}
