import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Change detection: versioned rule settings per clinic, the alerts they raise, and the record of
 * which daily job ran for which clinic on which day (so several instances never run it twice).
 */
export class AlertsAndRuleSettings1764140000000 implements MigrationInterface {
  name = 'AlertsAndRuleSettings1764140000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rule_settings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        clinic_id uuid NOT NULL REFERENCES clinics (clinic_id),
        version int NOT NULL CHECK (version >= 1),
        settings jsonb NOT NULL,
        created_by uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (clinic_id, version),
        FOREIGN KEY (clinic_id, created_by) REFERENCES users (clinic_id, id)
      )`);
    await q.query(`
      CREATE TRIGGER rule_settings_append_only BEFORE UPDATE OR DELETE ON rule_settings
      FOR EACH ROW EXECUTE FUNCTION refuse_change()`);

    await q.query(`
      CREATE TABLE alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        clinic_id uuid NOT NULL,
        patient_id uuid NOT NULL,
        deposit_id uuid,
        rule text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('info', 'warning', 'high', 'urgent')),
        severity_rank smallint NOT NULL CHECK (severity_rank BETWEEN 0 AND 3),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
        message text NOT NULL,
        evidence jsonb NOT NULL,
        evidence_history jsonb NOT NULL DEFAULT '[]',
        suggested_action jsonb NOT NULL,
        settings_version int NOT NULL,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        acknowledged_by uuid,
        acknowledged_at timestamptz(3),
        decision text CHECK (decision IN ('escalate', 'continue', 'dismiss')),
        note text,
        resolved_by uuid,
        resolved_at timestamptz(3),
        reference_date date,
        UNIQUE (clinic_id, id),
        CHECK ((status = 'resolved') = (resolved_at IS NOT NULL)),
        CHECK (decision <> 'dismiss' OR note IS NOT NULL),
        FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id),
        FOREIGN KEY (clinic_id, patient_id, deposit_id) REFERENCES deposits (clinic_id, patient_id, id),
        FOREIGN KEY (clinic_id, acknowledged_by) REFERENCES users (clinic_id, id),
        FOREIGN KEY (clinic_id, resolved_by) REFERENCES users (clinic_id, id)
      )`);
    // At most one open or acknowledged alert per (patient, deposit, rule); patient-level rules have no deposit.
    await q.query(`
      CREATE UNIQUE INDEX alerts_one_unresolved_key ON alerts
        (clinic_id, patient_id, coalesce(deposit_id, '00000000-0000-0000-0000-000000000000'::uuid), rule)
        WHERE status <> 'resolved'`);
    // The inbox: filter by status, most severe first, then oldest first.
    await q.query(`CREATE INDEX alerts_inbox_idx ON alerts (clinic_id, status, severity_rank DESC, created_at, id)`);
    await q.query(`CREATE INDEX alerts_patient_idx ON alerts (clinic_id, patient_id, rule, resolved_at DESC)`);

    await q.query(`
      CREATE TABLE job_runs (
        clinic_id uuid NOT NULL REFERENCES clinics (clinic_id),
        job text NOT NULL,
        run_on date NOT NULL,
        started_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (clinic_id, job, run_on)
      )`);

    // Every existing clinic starts on version 1: the defaults.
    await q.query(
      `INSERT INTO rule_settings (clinic_id, version, settings) SELECT clinic_id, 1, $1::jsonb FROM clinics`,
      [JSON.stringify(RULE_SETTINGS_V1)],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS job_runs`);
    await q.query(`DROP TABLE IF EXISTS alerts`);
    await q.query(`DROP TABLE IF EXISTS rule_settings`);
  }
}

/** The defaults as they stood when this migration was written (a migration never follows later code). */
const RULE_SETTINGS_V1 = {
  noiseFloorMm: 2, growthPercent: 20, growthMm: 5, growthHighPercent: 50, growthHighMm: 10,
  trendConfirmation: true, trendMinT: 2, burdenGrowthPercent: 20, burdenGrowthMm: 5, migrationMm: 10,
  painIncreasePoints: 2, painIncreasePercent: 30, tier1MinMonths: 4, tier2MinMonths: 6, tier3MinMonths: 3,
  correctedCalciumMaxMgDl: 10.2, caPhosWarning: 55, caPhosHigh: 70, overdueMonths: 12,
  overdueMonthsOnTreatment: 6, regressionPercent: 30,
};
