import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClinic, createPatient, newDepositInput, type TestClinic } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * Tenancy in the database itself: queries as the application's role, with the application's clinic
 * filter left out on purpose, still see only the clinic of the transaction.
 */
describe('row-level security on the clinical tables', () => {
  let t: TestApp;
  let a: TestClinic;
  let b: TestClinic;

  beforeAll(async () => {
    t = await createTestApp();
    a = await createClinic(t, 'Clinic A');
    b = await createClinic(t, 'Clinic B');
    await createPatient(t, a.staff, { name: 'Only In A' });
    await createPatient(t, b.staff, { name: 'Only In B' });
  });
  afterAll(() => t.close());

  /** A raw query on the application's own connection pool, as its role, in a transaction. */
  const asApplication = async <T>(clinicId: string | null, sql: string, params: unknown[] = []): Promise<T> =>
    t.appDb.transaction(async (m) => {
      if (clinicId) await m.query(`SELECT set_config('app.clinic_id', $1, true)`, [clinicId]);
      return m.query(sql, params) as Promise<T>;
    });

  it('the application connects as a role that row-level security restrains', async () => {
    const [role] = await t.appDb.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`);
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it('a query without any clinic filter, acting for clinic A, reads no row of clinic B', async () => {
    const rows: { name: string; clinic_id: string }[] = await asApplication(a.clinicId, 'SELECT name, clinic_id FROM patients');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.clinic_id === a.clinicId)).toBe(true);
    expect(rows.map((r) => r.name)).not.toContain('Only In B');
    const [{ n }] = await asApplication<{ n: number }[]>(a.clinicId, 'SELECT count(*)::int AS n FROM patients WHERE clinic_id = $1', [b.clinicId]);
    expect(n).toBe(0);
  });

  it('a transaction that never said which clinic it acts for reads nothing at all', async () => {
    for (const table of [
      'patients', 'deposits', 'visits', 'evaluations', 'evaluation_versions', 'lab_results', 'treatments', 'alerts', 'rule_settings',
      'notification_settings', 'notification_preferences', 'notifications', 'webhook_subscriptions', 'webhook_deliveries', 'webhook_delivery_attempts', 'email_deliveries',
    ]) {
      const [{ n }] = await asApplication<{ n: number }[]>(null, `SELECT count(*)::int AS n FROM ${table}`);
      expect({ table, n }).toEqual({ table, n: 0 });
    }
  });

  it("clinic A's transaction cannot write a row into clinic B, nor move one there", async () => {
    await expect(
      asApplication(a.clinicId, `INSERT INTO patients (clinic_id, mrn, name, birth_date, sex) VALUES ($1, 'X-1', 'Intruder', '1970-01-01', 'female')`, [b.clinicId]),
    ).rejects.toThrow(/row-level security/);
    const updated = await asApplication<[unknown[], number]>(a.clinicId, `UPDATE patients SET clinic_id = $1 WHERE clinic_id = $2`, [b.clinicId, a.clinicId]).catch((e: Error) => e);
    expect(updated).toBeInstanceOf(Error);
  });

  it('every table with a clinic_id is under row-level security, forced', async () => {
    const rows: { name: string; rls: boolean; forced: boolean }[] = await t.db.query(
      `SELECT c.relname AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced
         FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
        WHERE ns.nspname = current_schema() AND c.relkind = 'r'
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'clinic_id' AND NOT a.attisdropped)`,
    );
    // the tenant registry, the audit trail (append-only, read by admins per clinic) and the job claims are the known exceptions
    const exempt = ['clinics', 'users', 'audit_events', 'job_runs', 'sessions'];
    expect(rows.filter((r) => !exempt.includes(r.name) && !(r.rls && r.forced)).map((r) => r.name)).toEqual([]);
  });

  it("the dispatcher's functions that look across clinics return ids only, and leave the transaction under row-level security", async () => {
    // a follow-up visit of clinic A raises an alert: its notification waits in the outbox (no dispatcher runs here)
    const patientId = await createPatient(t, a.staff);
    await t.http().post(`/api/v1/patients/${patientId}/visits`).set(a.staff.auth).send({ visitDate: '2024-01-10', newDeposits: [newDepositInput()] }).expect(201);
    await t.http().post(`/api/v1/patients/${patientId}/visits`).set(a.staff.auth).send({ visitDate: '2024-04-10', newDeposits: [newDepositInput({ label: 'L thumb' })] }).expect(201);
    const columns = await asApplication<{ clinic_id: string }[]>(null, `SELECT * FROM notification_outbox_clinics(100000)`);
    expect(columns.map((r) => r.clinic_id)).toContain(a.clinicId);
    for (const row of columns) expect(Object.keys(row)).toEqual(['clinic_id']);
    const afterwards = await asApplication<{ n: number; bypass: string }[]>(
      null,
      `SELECT (SELECT count(*)::int FROM notification_outbox_clinics(1000)) AS skip, count(*)::int AS n, coalesce(current_setting('app.rls_bypass', true), '') AS bypass FROM patients`,
    );
    expect(afterwards[0]).toMatchObject({ n: 0, bypass: '' });
    const due = await asApplication<{ bypass: string }[]>(null, `SELECT (SELECT count(*) FROM webhook_subscriptions_due(10)) AS a, (SELECT count(*) FROM email_deliveries_due(10)) AS b, coalesce(current_setting('app.rls_bypass', true), '') AS bypass`);
    expect(due[0].bypass).toBe('');
  });
});
