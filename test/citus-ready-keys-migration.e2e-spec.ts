import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { verifyAuditChains } from '../src/audit/audit-verify';
import { writeAuditEvent } from '../src/audit/audit-writer';
import { BundledPostgres } from '../src/database/bundled-postgres';
import { dataSourceOptions, MIGRATIONS } from '../src/database/data-source';

const THIS_MIGRATION = 1764210000000;
const timestampOf = (m: (typeof MIGRATIONS)[number]) => Number(/(\d{13})$/.exec(m.name)?.[1]);

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

const CLINICAL = ['clinics', 'users', 'patients', 'visits', 'deposits', 'evaluations', 'evaluation_versions', 'lab_results', 'treatments', 'alerts', 'rule_settings', 'sessions'];

/**
 * The Citus-ready keys migration on a database that already holds data (its own PostgreSQL, so the
 * schema can be taken back to the migration before): every row is kept, the clinic-less audit
 * events move to their own table with their hashes intact, and down() puts everything back.
 */
describe('the migration to Citus-ready keys, on a database with data', () => {
  let pg: BundledPostgres;
  let dataDir: string;
  let db: DataSource;
  let clinicId: string;
  let before: Record<string, string>;
  let eventsBefore: { id: string; seq: string; hash: string; clinic_id: string | null }[];

  /** Every row of every clinical table, as one digest per table. */
  const digests = async (): Promise<Record<string, string>> => {
    const out: Record<string, string> = {};
    for (const table of CLINICAL) {
      const [row] = await db.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(to_jsonb(x)::text, '|' ORDER BY to_jsonb(x)::text), '')) AS d FROM ${table} x`);
      out[table] = `${row.n}:${row.d}`;
    }
    return out;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'calcitrack-migration-'));
    chmodSync(dataDir, 0o755);
    pg = new BundledPostgres({ dataDir, port: await freePort() });
    const url = await pg.start();
    db = new DataSource({ ...dataSourceOptions({ url, poolSize: 2, bypassRowLevelSecurity: true }), migrations: MIGRATIONS.filter((m) => timestampOf(m) <= THIS_MIGRATION) });
    await db.initialize();
    // the schema as it stood before this migration: all of them, then this one undone
    await db.runMigrations({ transaction: 'each' });
    await db.undoLastMigration({ transaction: 'each' });
    expect((await db.query(`SELECT to_regclass('audit_events_unscoped') AS t`))[0].t).toBeNull();

    [{ clinic_id: clinicId }] = await db.query(`INSERT INTO clinics (name) VALUES ('Before the keys changed') RETURNING clinic_id`);
    const [{ id: userId }] = await db.query(
      `INSERT INTO users (clinic_id, email, name, role, password_hash) VALUES ($1, 'physician@before.local', 'Dr. Before', 'physician', 'x') RETURNING id`, [clinicId]);
    const [{ id: patientId }] = await db.query(
      `INSERT INTO patients (clinic_id, mrn, name, birth_date, sex, responsible_physician_id) VALUES ($1, 'B-1', 'Patient Before', '1970-01-01', 'female', $2) RETURNING id`, [clinicId, userId]);
    const [{ id: visitId }] = await db.query(`INSERT INTO visits (clinic_id, patient_id, visit_date, created_by) VALUES ($1, $2, '2024-01-10', $3) RETURNING id`, [clinicId, patientId, userId]);
    const [{ id: depositId }] = await db.query(
      `INSERT INTO deposits (clinic_id, patient_id, label, site, laterality, depth, detected_by, noted_on, first_visit_id)
       VALUES ($1, $2, 'R index pulp', 'finger', 'right', 'subcutaneous', 'caliper', '2024-01-10', $3) RETURNING id`, [clinicId, patientId, visitId]);
    const [{ id: evaluationId }] = await db.query(
      `INSERT INTO evaluations (clinic_id, patient_id, deposit_id, visit_id, visit_date, method, longest_diameter_mm, recorded_by)
       VALUES ($1, $2, $3, $4, '2024-01-10', 'caliper', 8, $5) RETURNING id`, [clinicId, patientId, depositId, visitId, userId]);
    await db.query(`INSERT INTO evaluation_versions (clinic_id, evaluation_id, version, data, recorded_by) VALUES ($1, $2, 1, '{}', $3)`, [clinicId, evaluationId, userId]);
    await db.query(`INSERT INTO lab_results (clinic_id, patient_id, visit_id, collected_on, created_by) VALUES ($1, $2, $3, '2024-01-10', $4)`, [clinicId, patientId, visitId, userId]);
    await db.query(`INSERT INTO treatments (clinic_id, patient_id, deposit_id, kind, started_on, created_by) VALUES ($1, $2, $3, 'colchicine', '2024-01-11', $4)`, [clinicId, patientId, depositId, userId]);
    await db.query(`INSERT INTO rule_settings (clinic_id, version, settings) VALUES ($1, 1, '{}')`, [clinicId]);
    await db.query(
      `INSERT INTO alerts (clinic_id, patient_id, deposit_id, rule, severity, severity_rank, message, evidence, suggested_action, settings_version)
       VALUES ($1, $2, $3, 'NEW_DEPOSIT', 'warning', 1, 'm', '{}', '{}', 1)`, [clinicId, patientId, depositId]);
    await db.query(`INSERT INTO sessions (clinic_id, user_id, refresh_token_hash, expires_at) VALUES ($1, $2, 'h', now() + interval '1 hour')`, [clinicId, userId]);
    // the old trigger chains both kinds of events, the clinic-less ones under a NULL clinic_id
    const event = (clinic: string | null, action: string) =>
      db.query(`INSERT INTO audit_events (clinic_id, action, outcome, status_code, client_ip, seq, prev_hash, hash) VALUES ($1, $2, 'denied', 401, '10.0.0.1', 0, '', '')`, [clinic, action]);
    for (const [clinic, action] of [[clinicId, 'patient.read'], [null, 'auth.login'], [clinicId, 'visit.create'], [null, 'auth.login'], [null, 'patient.list']] as const) {
      await event(clinic, action);
    }
    before = await digests();
    eventsBefore = await db.query(`SELECT id, seq, hash, clinic_id FROM audit_events ORDER BY id`);

    await db.runMigrations({ transaction: 'each' });
  }, 120_000);

  afterAll(async () => {
    await db?.destroy();
    await pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every row of every clinical table as it was', async () => {
    expect(await digests()).toEqual(before);
  });

  it('moves the clinic-less audit events, same ids, sequence numbers and hashes, and every chain verifies', async () => {
    const scoped = await db.query(`SELECT id, seq, hash, clinic_id FROM audit_events ORDER BY id`);
    const unscoped = await db.query(`SELECT id, seq, hash, NULL AS clinic_id FROM audit_events_unscoped ORDER BY id`);
    expect(scoped).toEqual(eventsBefore.filter((e) => e.clinic_id !== null));
    expect(unscoped).toEqual(eventsBefore.filter((e) => e.clinic_id === null));
    expect(unscoped).toHaveLength(3);
    expect(await verifyAuditChains(db)).toEqual({ checked: 5, breaks: [] });
  });

  it('new events continue both chains', async () => {
    const common = { actorId: null, actorRole: null, patientId: null, recordType: null, recordId: null, outcome: 'denied' as const, statusCode: 401, clientIp: '10.0.0.2', requestId: null };
    await writeAuditEvent(db.manager, { ...common, clinicId: null, action: 'auth.login' });
    await writeAuditEvent(db.manager, { ...common, clinicId, action: 'patient.read' });
    expect((await db.query(`SELECT max(seq)::int AS s FROM audit_events_unscoped`))[0].s).toBe(4);
    expect((await db.query(`SELECT max(seq)::int AS s FROM audit_events WHERE clinic_id = $1`, [clinicId]))[0].s).toBe(3);
    expect(await verifyAuditChains(db)).toEqual({ checked: 7, breaks: [] });
    await expect(db.query(`INSERT INTO audit_events (clinic_id, action, outcome, seq, prev_hash, hash) VALUES (NULL, 'x', 'error', 0, '', '')`)).rejects.toThrow(/null value in column "clinic_id"/);
  });

  it('refuses changes to the clinic-less events like to the others', async () => {
    await expect(db.query(`UPDATE audit_events_unscoped SET outcome = 'success'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_events_unscoped`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE audit_events_unscoped`)).rejects.toThrow(/append-only/);
  });

  it('down() restores the previous keys with every row and event back in place; up() again is the same', async () => {
    await db.undoLastMigration({ transaction: 'each' });
    expect(await digests()).toEqual(before);
    const [{ bad, n, unscoped }] = await db.query(
      `SELECT count(*) FILTER (WHERE hash <> audit_event_digest(a))::int AS bad, count(*)::int AS n, count(*) FILTER (WHERE clinic_id IS NULL)::int AS unscoped FROM audit_events a`,
    );
    expect({ bad, n, unscoped }).toEqual({ bad: 0, n: 7, unscoped: 4 });
    const [{ pk }] = await db.query(`SELECT pg_get_constraintdef(oid) AS pk FROM pg_constraint WHERE conname = 'patients_pkey'`);
    expect(pk).toBe('PRIMARY KEY (id)');

    await db.runMigrations({ transaction: 'each' });
    expect(await digests()).toEqual(before);
    expect(await verifyAuditChains(db)).toEqual({ checked: 7, breaks: [] });
  });
});
