import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The clinic tables of notifications: row-level security like every clinical table. */
export const NOTIFICATION_TABLES = [
  'notification_settings', 'notification_preferences', 'notifications', 'webhook_subscriptions',
  'webhook_deliveries', 'webhook_delivery_attempts', 'email_deliveries',
];

/**
 * Notifications: a transactional outbox and its deliveries.
 *
 * - `notifications` is the outbox: one row per alert event (raised, escalated, resolved), written in
 *   the transaction that raised or changed the alert, so a stored alert always has its events and
 *   a rolled-back visit has none. A dispatcher fans each row out to deliveries and marks it.
 * - `webhook_subscriptions` (an admin's integrations), `webhook_deliveries` (one per notification
 *   and subscription, delivered one at a time per subscription in notification order) and
 *   `webhook_delivery_attempts` (the log of every attempt).
 * - `email_deliveries`: alert e-mails and daily digests, one per recipient, with their content as
 *   codes and ids only.
 * - `notification_settings` (versioned per clinic, like rule settings) and
 *   `notification_preferences` (a user's digest opt-out).
 *
 * Every table carries clinic_id; each key and reference includes it (clinic_id is the shard key).
 * The background dispatcher finds work across clinics only through the functions at the end,
 * which return ids and nothing else. The job queue itself (pg-boss) lives in its own schema,
 * `pgboss`, created and migrated by pg-boss at start-up.
 */
export class Notifications1764230000000 implements MigrationInterface {
  name = 'Notifications1764230000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_settings (
        clinic_id uuid NOT NULL REFERENCES clinics (clinic_id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        version int NOT NULL CHECK (version >= 1),
        settings jsonb NOT NULL,
        created_by uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (clinic_id, id),
        UNIQUE (clinic_id, version),
        FOREIGN KEY (clinic_id, created_by) REFERENCES users (clinic_id, id)
      )`);
    await q.query(`
      CREATE TRIGGER notification_settings_append_only BEFORE UPDATE OR DELETE ON notification_settings
      FOR EACH ROW EXECUTE FUNCTION refuse_change()`);

    await q.query(`
      CREATE TABLE notification_preferences (
        clinic_id uuid NOT NULL,
        user_id uuid NOT NULL,
        daily_digest boolean NOT NULL DEFAULT true,
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (clinic_id, user_id),
        FOREIGN KEY (clinic_id, user_id) REFERENCES users (clinic_id, id)
      )`);

    await q.query(`
      CREATE TABLE notifications (
        clinic_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        event text NOT NULL CHECK (event IN ('alert.raised', 'alert.escalated', 'alert.resolved')),
        alert_id uuid NOT NULL,
        patient_id uuid NOT NULL,
        deposit_id uuid,
        rule text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('info', 'warning', 'high', 'urgent')),
        previous_severity text CHECK (previous_severity IN ('info', 'warning', 'high', 'urgent')),
        status text NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        dispatched_at timestamptz(3),
        -- the webhook body, fixed when the notification is dispatched: the same on every retry
        payload jsonb,
        PRIMARY KEY (clinic_id, id),
        CHECK ((dispatched_at IS NULL) = (payload IS NULL)),
        FOREIGN KEY (clinic_id, alert_id) REFERENCES alerts (clinic_id, id),
        FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id)
      )`);
    await q.query(`CREATE INDEX notifications_undispatched_idx ON notifications (clinic_id, seq) WHERE dispatched_at IS NULL`);
    await q.query(`CREATE INDEX notifications_alert_idx ON notifications (clinic_id, alert_id, seq)`);

    await q.query(`
      CREATE TABLE webhook_subscriptions (
        clinic_id uuid NOT NULL REFERENCES clinics (clinic_id),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        url text NOT NULL CHECK (length(url) <= 2048),
        description text,
        -- null: every event; null severity: every severity
        events text[],
        min_severity text CHECK (min_severity IN ('info', 'warning', 'high', 'urgent')),
        enabled boolean NOT NULL DEFAULT true,
        secret text NOT NULL,
        previous_secret text,
        previous_secret_expires_at timestamptz(3),
        version int NOT NULL DEFAULT 1,
        created_by uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        deleted_at timestamptz(3),
        PRIMARY KEY (clinic_id, id),
        CHECK (events IS NULL OR events <@ ARRAY['alert.raised', 'alert.escalated', 'alert.resolved']),
        FOREIGN KEY (clinic_id, created_by) REFERENCES users (clinic_id, id)
      )`);
    await q.query(`CREATE INDEX webhook_subscriptions_clinic_idx ON webhook_subscriptions (clinic_id, created_at, id) WHERE deleted_at IS NULL`);

    await q.query(`
      CREATE TABLE webhook_deliveries (
        clinic_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        subscription_id uuid NOT NULL,
        notification_id uuid NOT NULL,
        -- the notification's seq: a subscription's deliveries go out in this order
        notification_seq bigint NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead', 'cancelled')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz(3),
        first_attempt_at timestamptz(3),
        last_status_code smallint,
        last_error text,
        delivered_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (clinic_id, id),
        UNIQUE (clinic_id, subscription_id, notification_id),
        CHECK ((state = 'pending') = (next_attempt_at IS NOT NULL)),
        FOREIGN KEY (clinic_id, subscription_id) REFERENCES webhook_subscriptions (clinic_id, id),
        FOREIGN KEY (clinic_id, notification_id) REFERENCES notifications (clinic_id, id)
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_queue_idx ON webhook_deliveries (clinic_id, subscription_id, notification_seq) WHERE state = 'pending'`);
    await q.query(`CREATE INDEX webhook_deliveries_list_idx ON webhook_deliveries (clinic_id, subscription_id, notification_seq DESC, id)`);

    await q.query(`
      CREATE TABLE webhook_delivery_attempts (
        clinic_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        delivery_id uuid NOT NULL,
        attempt int NOT NULL CHECK (attempt >= 1),
        started_at timestamptz(3) NOT NULL,
        -- in-progress while the request is out; interrupted when the service stopped during it
        outcome text NOT NULL CHECK (outcome IN ('in-progress', 'delivered', 'failed', 'interrupted')),
        duration_ms int,
        status_code smallint,
        error text,
        next_attempt_at timestamptz(3),
        PRIMARY KEY (clinic_id, id),
        UNIQUE (clinic_id, delivery_id, attempt),
        FOREIGN KEY (clinic_id, delivery_id) REFERENCES webhook_deliveries (clinic_id, id)
      )`);

    await q.query(`
      CREATE TABLE email_deliveries (
        clinic_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('alert', 'digest')),
        notification_id uuid,
        digest_date date,
        recipient_id uuid NOT NULL,
        -- what the message says, as codes and ids: rendered when it is sent
        content jsonb NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead', 'cancelled')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz(3) NOT NULL DEFAULT now(),
        last_error text,
        sent_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (clinic_id, id),
        CHECK ((kind = 'alert') = (notification_id IS NOT NULL)),
        CHECK ((kind = 'digest') = (digest_date IS NOT NULL)),
        FOREIGN KEY (clinic_id, notification_id) REFERENCES notifications (clinic_id, id),
        FOREIGN KEY (clinic_id, recipient_id) REFERENCES users (clinic_id, id)
      )`);
    await q.query(`CREATE UNIQUE INDEX email_deliveries_alert_key ON email_deliveries (clinic_id, notification_id, recipient_id) WHERE kind = 'alert'`);
    await q.query(`CREATE UNIQUE INDEX email_deliveries_digest_key ON email_deliveries (clinic_id, recipient_id, digest_date) WHERE kind = 'digest'`);
    await q.query(`CREATE INDEX email_deliveries_due_idx ON email_deliveries (next_attempt_at) WHERE state = 'pending'`);

    for (const table of NOTIFICATION_TABLES) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY ${table}_clinic_isolation ON ${table}
          USING (clinic_id = nullif(current_setting('app.clinic_id', true), '')::uuid
                 OR current_setting('app.rls_bypass', true) = 'on')
          WITH CHECK (clinic_id = nullif(current_setting('app.clinic_id', true), '')::uuid
                 OR current_setting('app.rls_bypass', true) = 'on')`);
    }

    // Where the dispatcher finds work across clinics: ids only, nothing a clinic could read from
    // another. Each lifts row-level security for its one query and puts the setting back.
    await q.query(`
      CREATE FUNCTION notification_outbox_clinics(max_rows int) RETURNS TABLE (clinic_id uuid)
      LANGUAGE plpgsql AS $$
      DECLARE before text := coalesce(current_setting('app.rls_bypass', true), '');
      BEGIN
        PERFORM set_config('app.rls_bypass', 'on', true);
        RETURN QUERY SELECT DISTINCT n.clinic_id FROM notifications n WHERE n.dispatched_at IS NULL LIMIT max_rows;
        PERFORM set_config('app.rls_bypass', before, true);
      END $$`);
    // Subscriptions whose first pending delivery is due and that no worker is delivering right now
    // (a worker holds the subscription's row lock while a delivery is out). The caller's
    // transaction keeps the rows locked until it has queued their jobs.
    await q.query(`
      CREATE FUNCTION webhook_subscriptions_due(max_rows int) RETURNS TABLE (clinic_id uuid, id uuid)
      LANGUAGE plpgsql AS $$
      DECLARE before text := coalesce(current_setting('app.rls_bypass', true), '');
      BEGIN
        PERFORM set_config('app.rls_bypass', 'on', true);
        RETURN QUERY
          SELECT s.clinic_id, s.id FROM webhook_subscriptions s
           WHERE s.enabled AND s.deleted_at IS NULL
             AND (SELECT d.next_attempt_at FROM webhook_deliveries d
                   WHERE d.clinic_id = s.clinic_id AND d.subscription_id = s.id AND d.state = 'pending'
                   ORDER BY d.notification_seq LIMIT 1) <= now()
           LIMIT max_rows
           FOR NO KEY UPDATE OF s SKIP LOCKED;
        PERFORM set_config('app.rls_bypass', before, true);
      END $$`);
    await q.query(`
      CREATE FUNCTION email_deliveries_due(max_rows int) RETURNS TABLE (clinic_id uuid, id uuid)
      LANGUAGE plpgsql AS $$
      DECLARE before text := coalesce(current_setting('app.rls_bypass', true), '');
      BEGIN
        PERFORM set_config('app.rls_bypass', 'on', true);
        RETURN QUERY
          SELECT e.clinic_id, e.id FROM email_deliveries e
           WHERE e.state = 'pending' AND e.next_attempt_at <= now()
           ORDER BY e.next_attempt_at
           LIMIT max_rows
           FOR UPDATE SKIP LOCKED;
        PERFORM set_config('app.rls_bypass', before, true);
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS email_deliveries_due(int)`);
    await q.query(`DROP FUNCTION IF EXISTS webhook_subscriptions_due(int)`);
    await q.query(`DROP FUNCTION IF EXISTS notification_outbox_clinics(int)`);
    for (const table of ['email_deliveries', 'webhook_delivery_attempts', 'webhook_deliveries', 'webhook_subscriptions', 'notifications', 'notification_preferences', 'notification_settings']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
