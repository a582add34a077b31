import { randomUUID } from 'node:crypto';
import { provisionClinic } from '../../src/clinics/clinic-provisioning';
import { createUser } from '../../src/users/users.service';
import type { TestApp } from './test-app';

export const TEST_PASSWORD = 'correct-horse-battery-staple';

export interface TestUser {
  id: string;
  email: string;
  token: string;
  auth: { Authorization: string };
}

export interface TestClinic {
  clinicId: string;
  admin: TestUser;
  physician: TestUser;
  staff: TestUser;
}

async function login(t: TestApp, id: string, email: string): Promise<TestUser> {
  const res = await t.http().post('/api/v1/auth/login').send({ email, password: TEST_PASSWORD }).expect(200);
  const token = res.body.accessToken as string;
  return { id, email, token, auth: { Authorization: `Bearer ${token}` } };
}

/** A clinic of its own for each test file: tests never see each other's rows. */
export async function createClinic(t: TestApp, name = 'Test clinic'): Promise<TestClinic> {
  const tag = randomUUID().slice(0, 8);
  const adminEmail = `admin-${tag}@test.local`;
  const { clinicId, adminId } = await provisionClinic(t.db, { name, adminEmail, adminPassword: TEST_PASSWORD });
  const physician = await createUser(t.db.manager, clinicId, { email: `physician-${tag}@test.local`, name: 'Dr. Test', role: 'physician', password: TEST_PASSWORD });
  const staff = await createUser(t.db.manager, clinicId, { email: `staff-${tag}@test.local`, name: 'Test Staff', role: 'staff', password: TEST_PASSWORD });
  return {
    clinicId,
    admin: await login(t, adminId, adminEmail),
    physician: await login(t, physician.id, physician.email),
    staff: await login(t, staff.id, staff.email),
  };
}

let mrnCounter = 0;

export function patientInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  mrnCounter += 1;
  return {
    mrn: `MRN-${process.pid}-${mrnCounter}-${randomUUID().slice(0, 6)}`,
    name: 'Test Patient',
    birthDate: '1970-05-01',
    sex: 'female',
    conditions: ['systemic-sclerosis-limited'],
    calcinosisType: 'dystrophic',
    ...overrides,
  };
}

export function newDepositInput(overrides: Record<string, unknown> = {}, evaluation: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    label: 'R index pulp',
    site: 'finger',
    laterality: 'right',
    depth: 'subcutaneous',
    detectedBy: 'caliper',
    evaluation: { method: 'caliper', longestDiameterMm: 8, ...evaluation },
    ...overrides,
  };
}

/** Creates a patient through the API and returns its id. */
export async function createPatient(t: TestApp, user: TestUser, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await t.http().post('/api/v1/patients').set(user.auth).send(patientInput(overrides)).expect(201);
  return res.body.id as string;
}

/** Row counts of the clinical tables for one clinic: what "nothing was stored" is checked against. */
export async function countRows(t: TestApp, clinicId: string): Promise<Record<string, number>> {
  const tables = ['patients', 'deposits', 'visits', 'evaluations', 'evaluation_versions', 'lab_results', 'treatments'];
  const out: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await t.db.query(`SELECT count(*)::int AS n FROM ${table} WHERE clinic_id = $1`, [clinicId]);
    out[table] = row.n;
  }
  return out;
}

// ---- helpers added for the validation, roles/tenancy and concurrency suites ----

/** A calendar date (YYYY-MM-DD) `days` from today in UTC; negative for the past. */
export function isoDateFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The field names of an error body's `details` (empty when there are none). */
export function errorFields(body: unknown): string[] {
  const details = (body as { details?: { field: string }[] } | undefined)?.details;
  return Array.isArray(details) ? details.map((d) => d.field) : [];
}

/** Users of one clinic: `countRows` leaves them out. */
export async function countUsers(t: TestApp, clinicId: string): Promise<number> {
  const [row] = await t.db.query('SELECT count(*)::int AS n FROM users WHERE clinic_id = $1', [clinicId]);
  return row.n as number;
}

/**
 * Everything of one clinic that a write could change: row counts (users included) and, per record,
 * its version or the fields an update touches. Equal before and after = nothing was written.
 */
export async function clinicFingerprint(t: TestApp, clinicId: string): Promise<Record<string, unknown>> {
  const q = (sql: string) => t.db.query(sql, [clinicId]);
  return {
    counts: await countRows(t, clinicId),
    users: await q('SELECT id, email, name, role, active, specialty, password_hash, updated_at FROM users WHERE clinic_id = $1 ORDER BY id'),
    patients: await q('SELECT id, version, updated_at FROM patients WHERE clinic_id = $1 ORDER BY id'),
    deposits: await q('SELECT id, version, updated_at FROM deposits WHERE clinic_id = $1 ORDER BY id'),
    evaluations: await q('SELECT id, version FROM evaluations WHERE clinic_id = $1 ORDER BY id'),
    treatments: await q('SELECT id, version, updated_at FROM treatments WHERE clinic_id = $1 ORDER BY id'),
  };
}
