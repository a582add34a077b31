import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClinic, createPatient, type TestClinic } from './support/factories';
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
    for (const table of ['patients', 'deposits', 'visits', 'evaluations', 'evaluation_versions', 'lab_results', 'treatments', 'alerts', 'rule_settings']) {
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
});
