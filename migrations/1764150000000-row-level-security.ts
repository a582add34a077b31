import type { MigrationInterface, QueryRunner } from 'typeorm';

export const TENANT_TABLES = [
  'patients', 'deposits', 'visits', 'evaluations', 'evaluation_versions',
  'lab_results', 'treatments', 'alerts', 'rule_settings',
];

/**
 * Tenancy in the database too: on every clinical table a row is visible and writable only when its
 * clinic_id is the transaction's `app.clinic_id` (set by the application for each request). FORCE
 * makes it hold for the tables' owner as well; only superusers and BYPASSRLS roles are exempt.
 * `app.rls_bypass = on` is for operator and test fixture sessions that work across clinics.
 */
export class RowLevelSecurity1764150000000 implements MigrationInterface {
  name = 'RowLevelSecurity1764150000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of TENANT_TABLES) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY ${table}_clinic_isolation ON ${table}
          USING (clinic_id = nullif(current_setting('app.clinic_id', true), '')::uuid
                 OR current_setting('app.rls_bypass', true) = 'on')
          WITH CHECK (clinic_id = nullif(current_setting('app.clinic_id', true), '')::uuid
                 OR current_setting('app.rls_bypass', true) = 'on')`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TENANT_TABLES) {
      await q.query(`DROP POLICY IF EXISTS ${table}_clinic_isolation ON ${table}`);
      await q.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }
  }
}
