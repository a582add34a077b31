import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reading confirmation (PAIN_INCREASE, MIGRATION, TREATMENT_FAILURE's pain test): every stored
 * rule-settings version gets the new settings with their defaults — `readingConfirmation` on,
 * `painHighPoints` 4, `painHighPercent` 50, `migrationHighMm` 20 — and keeps every value it has.
 * An immediate threshold never lands below the clinic's ordinary one (a clinic that asked for a
 * 5-point pain rise gets painHighPoints 5), so every version stays valid. Only keys are added, so
 * the append-only trigger is lifted for this one statement; rows that already have all four keys
 * are not touched.
 */
export class ReadingConfirmationSettings1764190000000 implements MigrationInterface {
  name = 'ReadingConfirmationSettings1764190000000';

  async up(q: QueryRunner): Promise<void> {
    // rule_settings is under forced row-level security: the migration works across clinics
    await q.query(`SELECT set_config('app.rls_bypass', 'on', true)`);
    await q.query(`ALTER TABLE rule_settings DISABLE TRIGGER rule_settings_append_only`);
    await q.query(`
      UPDATE rule_settings
         SET settings = jsonb_build_object(
               'readingConfirmation', true,
               'painHighPoints', greatest(4, coalesce((settings ->> 'painIncreasePoints')::numeric, 2)),
               'painHighPercent', greatest(50, coalesce((settings ->> 'painIncreasePercent')::numeric, 30)),
               'migrationHighMm', greatest(20, coalesce((settings ->> 'migrationMm')::numeric, 10))
             ) || settings
       WHERE NOT settings ?& ARRAY['readingConfirmation', 'painHighPoints', 'painHighPercent', 'migrationHighMm']`);
    await q.query(`ALTER TABLE rule_settings ENABLE TRIGGER rule_settings_append_only`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT set_config('app.rls_bypass', 'on', true)`);
    await q.query(`ALTER TABLE rule_settings DISABLE TRIGGER rule_settings_append_only`);
    await q.query(`UPDATE rule_settings SET settings = settings - 'readingConfirmation' - 'painHighPoints' - 'painHighPercent' - 'migrationHighMm'`);
    await q.query(`ALTER TABLE rule_settings ENABLE TRIGGER rule_settings_append_only`);
  }
}
