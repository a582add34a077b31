import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
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

  it('docs/scaling.md distributes exactly the distributed tables and copies exactly the reference tables, each after the tables it references', async () => {
    const doc = readFileSync('docs/scaling.md', 'utf8');
    const calls = [...doc.matchAll(/SELECT (create_reference_table|create_distributed_table)\('(\w+)'(?:, '(\w+)')?(?:, colocate_with => '(\w+)')?\);/g)]
      .map(([, fn, table, column, colocateWith]) => ({ fn, table, column, colocateWith }));
    const kinds = await tableKinds(query);
    const named = (kind: string) => [...kinds].filter(([, k]) => k === kind).map(([name]) => name).sort();
    expect(calls.filter((c) => c.fn === 'create_reference_table').map((c) => c.table).sort()).toEqual(named('reference'));
    const distributed = calls.filter((c) => c.fn === 'create_distributed_table');
    expect(distributed.map((c) => c.table).sort()).toEqual(named('distributed'));
    expect(distributed.every((c) => c.column === 'clinic_id')).toBe(true);
    expect(distributed.slice(1).every((c) => c.colocateWith === distributed[0].table)).toBe(true);
    for (const local of LOCAL_TABLES) expect(doc).toContain(`\`${local}\``);

    // Citus wants a foreign key's target distributed (or copied) before the table that points at it
    const order = calls.map((c) => c.table);
    const fks: { from: string; to: string }[] = await query(
      `SELECT conrelid::regclass::text AS "from", confrelid::regclass::text AS "to" FROM pg_constraint
        WHERE contype = 'f' AND connamespace = current_schema()::regnamespace AND conrelid <> confrelid`,
    ) as never;
    const outOfOrder = fks.filter((fk) => order.includes(fk.from) && order.indexOf(fk.to) > order.indexOf(fk.from));
    expect(outOfOrder).toEqual([]);
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
