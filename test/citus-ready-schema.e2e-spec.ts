import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { citusViolations, LOCAL_TABLES, REFERENCE_TABLES, tableKinds } from './support/citus-rules';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * The schema can be distributed by clinic_id with Citus (docs/scaling.md): read from PostgreSQL's
 * catalogue after every migration has run, so a later migration that adds a key without clinic_id
 * fails here, not on the day the data outgrows one server.
 */
describe('a schema ready to be distributed by clinic_id', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const query = (sql: string, params?: unknown[]) => t.db.query(sql, params);

  it('every primary key, unique index and foreign key of a clinic table includes clinic_id, which is never NULL', async () => {
    expect(await citusViolations(query)).toEqual([]);
  });

  it('places every table: those with clinic_id distributed, the listed ones reference or local tables', async () => {
    const kinds = await tableKinds(query);
    expect([...kinds].filter(([, kind]) => kind === null)).toEqual([]);
    expect([...kinds].filter(([, kind]) => kind === 'reference').map(([name]) => name).sort()).toEqual([...REFERENCE_TABLES].sort());
    expect([...kinds].filter(([, kind]) => kind === 'local').map(([name]) => name).sort()).toEqual([...LOCAL_TABLES].sort());
    expect([...kinds].filter(([, kind]) => kind === 'distributed').map(([name]) => name)).toEqual(
      expect.arrayContaining(['patients', 'visits', 'deposits', 'evaluations', 'evaluation_versions', 'lab_results', 'treatments', 'alerts', 'rule_settings', 'sessions', 'audit_events', 'idempotency_keys', 'job_runs']),
    );
  });

  it('fails on a deliberately bad index, foreign key and table (created in a transaction that is rolled back)', async () => {
    const runner = t.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      // the classic mistakes: a key on id alone, a foreign key that forgets the clinic, a table
      // whose clinic may be NULL and keyed without it, a table the plan does not place
      await runner.query(`CREATE UNIQUE INDEX demo_patients_id_key ON patients (id)`);
      await runner.query(`ALTER TABLE treatments ADD CONSTRAINT demo_treatments_patient_fkey FOREIGN KEY (patient_id) REFERENCES patients (id)`);
      await runner.query(`CREATE TABLE demo_notes (id uuid PRIMARY KEY, clinic_id uuid REFERENCES clinics (clinic_id))`);
      await runner.query(`CREATE TABLE demo_stray (id int PRIMARY KEY)`);
      const violations = await citusViolations((sql, params) => runner.query(sql, params));
      await runner.rollbackTransaction();

      expect(violations.sort()).toEqual([
        'demo_notes: unique index demo_notes_pkey does not include clinic_id',
        'patients: unique index demo_patients_id_key does not include clinic_id',
        'table demo_notes: clinic_id may be NULL',
        'table demo_stray has no clinic_id and is not listed as a reference or local table',
        'treatments: foreign key demo_treatments_patient_fkey: does not pair clinic_id with patients.clinic_id',
      ]);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    // and the schema itself is untouched
    expect(await citusViolations(query)).toEqual([]);
  });
});
