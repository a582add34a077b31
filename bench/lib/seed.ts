import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashPassword } from '../../src/auth/password.util';
import { provisionClinic } from '../../src/clinics/clinic-provisioning';
import { createDataSource } from '../../src/database/data-source';

/**
 * How much data the benchmark seeds. Everything is written in bulk SQL (INSERT … SELECT over
 * generate_series), not through the API: the service only sees it as an existing clinic network.
 */
export interface Shape {
  clinics: number;
  /** users of the first clinic (the one-clinic loads), and of each other clinic */
  usersMain: number;
  usersOther: number;
  /** B1/B5: patients with 3 deposits and `priorVisits` quarterly evaluations of each */
  visitPatientsMain: number;
  visitPatientsOther: number;
  priorVisits: number;
  /** B3: patients whose 3 deposits have `longHistory` evaluations each, and as many with 1 */
  longPatients: number;
  longHistory: number;
  /** B4: per clinic, patients with 2 deposits and 10 alerts each (6 unresolved) */
  inboxPatientsPerClinic: number;
  /** B6: the clinic export (patients × 10 deposits × 100 visits) and one patient's report */
  exportPatients: number;
  exportVisits: number;
  reportDeposits: number;
  reportVisits: number;
}

export const FULL: Shape = {
  clinics: 10,
  usersMain: 96,
  usersOther: 8,
  visitPatientsMain: 10_000,
  visitPatientsOther: 1_000,
  priorVisits: 4,
  longPatients: 50,
  longHistory: 1000,
  inboxPatientsPerClinic: 10_000,
  exportPatients: 1000,
  exportVisits: 100,
  reportDeposits: 20,
  reportVisits: 40,
};

/** --quick: B4 and the export scaled down tenfold, fewer patients elsewhere; the histories keep their lengths. */
export const QUICK: Shape = {
  ...FULL,
  usersMain: 48,
  usersOther: 4,
  visitPatientsMain: 3_000,
  visitPatientsOther: 300,
  longPatients: 12,
  inboxPatientsPerClinic: 1_000,
  exportPatients: 100,
};

export const ALERTS_PER_INBOX_PATIENT = 10;
export const UNRESOLVED_PER_INBOX_PATIENT = 6;
export const EXPORT_DEPOSITS_PER_PATIENT = 10;

export interface VisitPatient {
  clinicId: string;
  patientId: string;
  /** the patient's 3 deposits and the size each was seeded around */
  deposits: { id: string; baseMm: number }[];
}

export interface Seeded {
  password: string;
  clinicIds: string[];
  /** emails of bench physicians, per clinic (index as clinicIds) */
  users: string[][];
  visitPatients: VisitPatient[][];
  longPatients: VisitPatient[];
  shortPatients: VisitPatient[];
  reportPatient: { clinicId: string; patientId: string; evaluations: number };
  exportClinic: { clinicId: string; email: string; rows: number };
  counts: Record<string, number>;
  seconds: number;
}

/** The size a seeded deposit is measured around: the bench's visits stay within its noise, so they raise no alert. */
export const baseSizeSql = (seq: string) => `(6 + (${seq} % 20))`;
const baseSize = (seq: number) => 6 + (seq % 20);

const EVIDENCE = JSON.stringify({
  reference: { kind: 'nadir', evaluationId: '00000000-0000-4000-8000-000000000001', visitDate: '2024-01-10', valueMm: 10, method: 'caliper' },
  current: { evaluationId: '00000000-0000-4000-8000-000000000002', visitDate: '2024-10-10', valueMm: 16, method: 'caliper' },
  changeMm: 6,
  changePercent: 60,
  threshold: { percent: 20, mm: 5 },
  trend: { slopeMmPerYear: 7.9, t: 4.2, points: 4 },
  settingsVersion: 1,
});
const SUGGESTED = JSON.stringify({ currentTier: 1, suggestedTier: 2, text: 'Consider systemic therapy (tier 2): the deposit grew on the current tier.' });

async function insertUsers(db: DataSource, clinicId: string, prefix: string, count: number, hash: string): Promise<string[]> {
  const rows: { email: string }[] = await db.query(
    `INSERT INTO users (clinic_id, email, name, role, password_hash)
     SELECT $1, $2 || '-' || g || '@bench.local', 'Bench physician ' || g, 'physician', $3 FROM generate_series(1, $4::int) g
     RETURNING email`,
    [clinicId, prefix, hash, count],
  );
  return rows.map((r) => r.email).sort();
}

/** Patients (mrn prefix) with `deposits` each; returns nothing, later queries pick them by prefix. */
async function insertPatients(db: DataSource, clinicId: string, prefix: string, count: number, deposits: number): Promise<void> {
  await db.query(
    `INSERT INTO patients (clinic_id, mrn, name, birth_date, sex, conditions, calcinosis_type)
     SELECT $1, $2 || lpad(g::text, 6, '0'), 'Bench patient ' || g, date '1940-01-01' + (g * 37) % 20000,
            (array['female','male'])[1 + g % 2], array['systemic-sclerosis-limited'], 'dystrophic'
       FROM generate_series(1, $3::int) g`,
    [clinicId, prefix, count],
  );
  await db.query(
    `INSERT INTO deposits (clinic_id, patient_id, label, site, laterality, depth, detected_by, noted_on)
     SELECT p.clinic_id, p.id, 'Deposit ' || d, (array['finger','hand','elbow','knee','forearm'])[1 + d % 5], 'right', 'subcutaneous', 'caliper', date '2015-01-01'
       FROM patients p CROSS JOIN generate_series(1, $3::int) d
      WHERE p.clinic_id = $1 AND p.mrn LIKE $2 || '%'`,
    [clinicId, prefix, deposits],
  );
  // fresh statistics after every bulk insert: with stale ones the later clinics took minutes each
  await db.query('ANALYZE patients, deposits');
}

/**
 * `visits` visits of every patient of the prefix, `stepDays` apart from `firstDate`, each evaluating
 * every deposit by caliper within ±0.4 mm of the deposit's base size (stable: no rule fires).
 */
async function insertHistory(db: DataSource, clinicId: string, prefix: string, userId: string, visits: number, firstDate: string, stepDays: number): Promise<void> {
  await db.query(
    `INSERT INTO visits (clinic_id, patient_id, visit_date, created_by)
     SELECT p.clinic_id, p.id, $4::date + v * $5::int, $3
       FROM patients p CROSS JOIN generate_series(0, $6::int - 1) v
      WHERE p.clinic_id = $1 AND p.mrn LIKE $2 || '%'`,
    [clinicId, prefix, userId, firstDate, stepDays, visits],
  );
  await db.query(
    `INSERT INTO evaluations (clinic_id, patient_id, deposit_id, visit_id, visit_date, method, longest_diameter_mm,
                              perpendicular_diameter_mm, depth_mm, shape, margin, landmark, x_mm, y_mm, mobility, pain_score, recorded_by)
     SELECT v.clinic_id, v.patient_id, d.id, v.id, v.visit_date, 'caliper',
            ${baseSizeSql('d.seq')} + ((v.visit_date - date '2000-01-01' + d.seq) % 5 - 2) * 0.2, 5, 2.5,
            'oval', 'well-defined', 'distal crease', 0, 5, 'fixed', 3, $3
       FROM visits v
       JOIN patients p ON p.clinic_id = v.clinic_id AND p.id = v.patient_id
       JOIN deposits d ON d.clinic_id = v.clinic_id AND d.patient_id = v.patient_id
      WHERE v.clinic_id = $1 AND p.mrn LIKE $2 || '%'`,
    [clinicId, prefix, userId],
  );
  await db.query('ANALYZE visits, evaluations');
}

/** A third of the patients have been on colchicine (tier 1) since 2023: the tier is looked up on every visit. */
async function insertTreatments(db: DataSource, clinicId: string, prefix: string, userId: string): Promise<void> {
  await db.query(
    `INSERT INTO treatments (clinic_id, patient_id, kind, started_on, dose, created_by)
     SELECT clinic_id, id, 'colchicine', date '2023-06-01', '0.5 mg daily', $3 FROM patients
      WHERE clinic_id = $1 AND mrn LIKE $2 || '%' AND ('x' || substr(md5(id::text), 1, 8))::bit(32)::int % 3 = 0`,
    [clinicId, prefix, userId],
  );
}

async function visitPatients(db: DataSource, clinicId: string, prefix: string): Promise<VisitPatient[]> {
  const rows: { patient_id: string; ids: string[]; seqs: string[] }[] = await db.query(
    `SELECT d.patient_id, array_agg(d.id ORDER BY d.seq) AS ids, array_agg(d.seq ORDER BY d.seq) AS seqs
       FROM deposits d JOIN patients p ON p.clinic_id = d.clinic_id AND p.id = d.patient_id
      WHERE d.clinic_id = $1 AND p.mrn LIKE $2 || '%'
      GROUP BY d.patient_id, p.mrn ORDER BY p.mrn`,
    [clinicId, prefix],
  );
  return rows.map((r) => ({ clinicId, patientId: r.patient_id, deposits: r.ids.map((id, i) => ({ id, baseMm: baseSize(Number(r.seqs[i])) })) }));
}

/**
 * The inbox at scale: each patient has 10 alerts (8 on its 2 deposits, 2 patient-level), 6 of them
 * unresolved (4 open, 2 acknowledged), with severities and dates spread over two years.
 */
async function insertInboxAlerts(db: DataSource, clinicId: string, prefix: string, userId: string): Promise<void> {
  await db.query(
    `INSERT INTO alerts (clinic_id, patient_id, deposit_id, rule, severity, severity_rank, status, message, evidence,
                         suggested_action, settings_version, created_at, updated_at, acknowledged_by, acknowledged_at,
                         decision, note, resolved_by, resolved_at, reference_date)
     SELECT x.clinic_id, x.id,
            CASE WHEN k < 4 THEN x.deps[1] WHEN k < 8 THEN x.deps[2] END,
            (array['DEPOSIT_GROWTH','PAIN_INCREASE','SHAPE_CHANGE','MIGRATION','DEPOSIT_GROWTH','PAIN_INCREASE','SHAPE_CHANGE','MIGRATION','BURDEN_GROWTH','LAB_ABNORMAL'])[k + 1],
            (array['info','warning','high','urgent'])[1 + r.rank], r.rank,
            s.status,
            'Deposit grew from 10 mm (nadir, 2024-01-10) to 16 mm (+6 mm, +60 %) by caliper', $3::jsonb, $4::jsonb, 1,
            r.created, r.created,
            CASE WHEN s.status <> 'open' THEN $5::uuid END, CASE WHEN s.status <> 'open' THEN r.created + interval '1 day' END,
            CASE WHEN s.status = 'resolved' THEN 'continue' END, CASE WHEN s.status = 'resolved' THEN 'stable on review' END,
            CASE WHEN s.status = 'resolved' THEN $5::uuid END, CASE WHEN s.status = 'resolved' THEN r.created + interval '7 days' END,
            CASE WHEN s.status = 'resolved' THEN r.created::date END
       FROM (SELECT p.clinic_id, p.id, row_number() OVER (ORDER BY p.mrn) AS n, array_agg(d.id ORDER BY d.seq) AS deps
               FROM patients p JOIN deposits d ON d.clinic_id = p.clinic_id AND d.patient_id = p.id
              WHERE p.clinic_id = $1 AND p.mrn LIKE $2 || '%'
              GROUP BY p.clinic_id, p.id, p.mrn) x
      CROSS JOIN generate_series(0, ${ALERTS_PER_INBOX_PATIENT - 1}) k
      CROSS JOIN LATERAL (SELECT CASE WHEN (k + x.n) % 10 < 4 THEN 'open' WHEN (k + x.n) % 10 < ${UNRESOLVED_PER_INBOX_PATIENT} THEN 'acknowledged' ELSE 'resolved' END AS status) s
      CROSS JOIN LATERAL (SELECT ((k * 7 + x.n * 3) % 4)::smallint AS rank,
                                 timestamptz '2024-01-01 00:00:00+00' + ((x.n * 37 + k * 101) % 700) * interval '1 day' + ((x.n * 7919 + k) % 86400) * interval '1 second' AS created) r`,
    [clinicId, prefix, EVIDENCE, SUGGESTED, userId],
  );
}

/** The export's clinic, as bench:export always seeded it: every deposit evaluated at every visit, a tenth with a formula-like note. */
async function insertExportEvaluations(db: DataSource, clinicId: string, userId: string, visitsPerPatient: number): Promise<void> {
  await db.query(
    `INSERT INTO visits (clinic_id, patient_id, visit_date, created_by)
     SELECT p.clinic_id, p.id, date '2015-01-05' + v * 14, $2
       FROM patients p CROSS JOIN generate_series(0, $3::int - 1) v WHERE p.clinic_id = $1`,
    [clinicId, userId, visitsPerPatient],
  );
  await db.query(
    `INSERT INTO evaluations (clinic_id, patient_id, deposit_id, visit_id, visit_date, method, longest_diameter_mm,
                              perpendicular_diameter_mm, depth_mm, shape, margin, landmark, x_mm, y_mm, mobility,
                              pain_score, notes, recorded_by)
     SELECT v.clinic_id, v.patient_id, d.id, v.id, v.visit_date, 'caliper', 5 + (n % 200) / 10.0, 3 + (n % 97) / 10.0, 2.5,
            'oval', 'well-defined', 'distal crease', -3.5, 12, 'fixed', n % 11,
            CASE WHEN n % 10 = 0 THEN '=SUM(A1), "quoted" note' END, $2
       FROM (SELECT v.*, row_number() OVER () AS n FROM visits v WHERE v.clinic_id = $1) v
       JOIN deposits d ON d.clinic_id = v.clinic_id AND d.patient_id = v.patient_id`,
    [clinicId, userId],
  );
}

/** The clinic export's own clinic and its admin (who may download the export): patients × 10 deposits × visits evaluations. */
export async function seedExportClinic(db: DataSource, password: string, patients: number, visits: number): Promise<Seeded['exportClinic']> {
  const email = `bench-export-${process.pid}@bench.local`;
  const { clinicId, adminId } = await provisionClinic(db, { name: 'Bench export clinic', adminEmail: email, adminPassword: password });
  await insertPatients(db, clinicId, 'E-', patients, EXPORT_DEPOSITS_PER_PATIENT);
  await insertExportEvaluations(db, clinicId, adminId, visits);
  return { clinicId, email, rows: patients * EXPORT_DEPOSITS_PER_PATIENT * visits };
}

/** One patient with a long record for the PDF and FHIR reports: growing deposits, every version stored, treatments, labs, alerts. */
async function insertReportPatient(db: DataSource, clinicId: string, userId: string, shape: Shape): Promise<string> {
  await insertPatients(db, clinicId, 'R-', 1, shape.reportDeposits);
  await db.query(
    `INSERT INTO visits (clinic_id, patient_id, visit_date, created_by)
     SELECT p.clinic_id, p.id, date '2016-01-01' + v * 60, $2 FROM patients p CROSS JOIN generate_series(0, $3::int - 1) v
      WHERE p.clinic_id = $1 AND p.mrn LIKE 'R-%'`,
    [clinicId, userId, shape.reportVisits],
  );
  await db.query(
    `INSERT INTO evaluations (clinic_id, patient_id, deposit_id, visit_id, visit_date, method, longest_diameter_mm,
                              perpendicular_diameter_mm, depth_mm, shape, margin, landmark, x_mm, y_mm, mobility, pain_score, notes, recorded_by)
     SELECT v.clinic_id, v.patient_id, d.id, v.id, v.visit_date, (array['caliper','ultrasound'])[1 + d.seq % 2],
            5 + (v.visit_date - date '2016-01-01') / 365.0 * (d.seq % 4) + (d.seq % 7) * 0.3, 4, 2,
            'oval', 'well-defined', 'distal crease', 1, 4, 'fixed', 2 + d.seq % 3, 'follow-up', $2
       FROM visits v JOIN patients p ON p.clinic_id = v.clinic_id AND p.id = v.patient_id
       JOIN deposits d ON d.clinic_id = v.clinic_id AND d.patient_id = v.patient_id
      WHERE v.clinic_id = $1 AND p.mrn LIKE 'R-%'`,
    [clinicId, userId],
  );
  await db.query(
    `INSERT INTO evaluation_versions (clinic_id, evaluation_id, version, data, reason, recorded_by, recorded_at)
     SELECT e.clinic_id, e.id, 1, jsonb_build_object('method', e.method, 'longestDiameterMm', e.longest_diameter_mm, 'perpendicularDiameterMm', e.perpendicular_diameter_mm,
            'depthMm', e.depth_mm, 'shape', e.shape, 'margin', e.margin, 'landmark', e.landmark, 'xMm', e.x_mm, 'yMm', e.y_mm, 'mobility', e.mobility,
            'ulcerated', e.ulcerated, 'infectionSigns', e.infection_signs, 'inflammation', e.inflammation, 'nerveCompression', e.nerve_compression,
            'drainage', e.drainage, 'painScore', e.pain_score, 'notes', e.notes), NULL, e.recorded_by, e.recorded_at
       FROM evaluations e JOIN patients p ON p.clinic_id = e.clinic_id AND p.id = e.patient_id
      WHERE e.clinic_id = $1 AND p.mrn LIKE 'R-%'`,
    [clinicId],
  );
  const [{ id }]: { id: string }[] = await db.query(`SELECT id FROM patients WHERE clinic_id = $1 AND mrn LIKE 'R-%'`, [clinicId]);
  await db.query(
    `INSERT INTO treatments (clinic_id, patient_id, kind, started_on, ended_on, created_by) VALUES
       ($1, $2, 'colchicine', '2016-03-01', '2018-03-01', $3), ($1, $2, 'diltiazem', '2018-03-01', NULL, $3), ($1, $2, 'lithotripsy', '2020-06-01', '2020-06-01', $3)`,
    [clinicId, id, userId],
  );
  await db.query(
    `INSERT INTO lab_results (clinic_id, patient_id, collected_on, calcium_mg_dl, albumin_g_dl, phosphate_mg_dl, corrected_calcium_mg_dl, calcium_phosphate_product, created_by)
     SELECT $1, $2, date '2016-01-01' + g * 180, 9.5, 4.0, 3.5, 9.5, 33.25, $3 FROM generate_series(0, 11) g`,
    [clinicId, id, userId],
  );
  await db.query(
    `INSERT INTO alerts (clinic_id, patient_id, deposit_id, rule, severity, severity_rank, status, message, evidence, suggested_action, settings_version)
     SELECT $1, $2, d.id, 'DEPOSIT_GROWTH', 'warning', 1, 'open', 'Deposit grew (+6 mm, +60 %) by caliper', $3::jsonb, $4::jsonb, 1
       FROM deposits d WHERE d.clinic_id = $1 AND d.patient_id = $2 AND d.seq % 2 = 0`,
    [clinicId, id, EVIDENCE, SUGGESTED],
  );
  return id;
}

export async function seed(url: string, shape: Shape, log: (line: string) => void): Promise<Seeded> {
  const t0 = performance.now();
  const db = createDataSource({ url, poolSize: 2, bypassRowLevelSecurity: true, statementTimeoutMs: 3_600_000 });
  await db.initialize();
  try {
    const password = randomBytes(18).toString('base64url');
    const hash = await hashPassword(password);
    const out: Seeded = {
      password,
      clinicIds: [],
      users: [],
      visitPatients: [],
      longPatients: [],
      shortPatients: [],
      reportPatient: { clinicId: '', patientId: '', evaluations: shape.reportDeposits * shape.reportVisits },
      exportClinic: { clinicId: '', email: '', rows: shape.exportPatients * EXPORT_DEPOSITS_PER_PATIENT * shape.exportVisits },
      counts: {},
      seconds: 0,
    };
    for (let c = 0; c < shape.clinics; c++) {
      const { clinicId, adminId } = await provisionClinic(db, { name: `Bench clinic ${c + 1}`, adminEmail: `bench-admin-${c}-${process.pid}@bench.local`, adminPassword: password });
      out.clinicIds.push(clinicId);
      out.users.push(await insertUsers(db, clinicId, `bench-c${c}`, c === 0 ? shape.usersMain : shape.usersOther, hash));
      await insertPatients(db, clinicId, 'V-', c === 0 ? shape.visitPatientsMain : shape.visitPatientsOther, 3);
      await insertHistory(db, clinicId, 'V-', adminId, shape.priorVisits, '2024-01-15', 91);
      await insertTreatments(db, clinicId, 'V-', adminId);
      out.visitPatients.push(await visitPatients(db, clinicId, 'V-'));
      await insertPatients(db, clinicId, 'I-', shape.inboxPatientsPerClinic, 2);
      await insertInboxAlerts(db, clinicId, 'I-', adminId);
      if (c === 0) {
        await insertPatients(db, clinicId, 'L-', shape.longPatients, 3);
        await insertHistory(db, clinicId, 'L-', adminId, shape.longHistory, '2020-01-01', 1);
        out.longPatients = await visitPatients(db, clinicId, 'L-');
        await insertPatients(db, clinicId, 'S-', shape.longPatients, 3);
        await insertHistory(db, clinicId, 'S-', adminId, 1, '2022-09-01', 1);
        out.shortPatients = await visitPatients(db, clinicId, 'S-');
        out.reportPatient = { ...out.reportPatient, clinicId, patientId: await insertReportPatient(db, clinicId, adminId, shape) };
      }
      log(`  clinic ${c + 1}/${shape.clinics} seeded (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    out.exportClinic = await seedExportClinic(db, password, shape.exportPatients, shape.exportVisits);
    // The daily OVERDUE_REVIEW pass counts as done for today and tomorrow (UTC): otherwise it starts
    // 5 s after the service and flags every seeded deposit (their histories are over a year old)
    // while the loads run. The service still checks for due jobs on its default interval.
    await db.query(
      `INSERT INTO job_runs (clinic_id, job, run_on)
       SELECT clinic_id, 'overdue-review', (now() AT TIME ZONE 'UTC')::date + g FROM clinics CROSS JOIN generate_series(0, 1) g
       ON CONFLICT DO NOTHING`,
    );
    await db.query('VACUUM ANALYZE');
    for (const table of ['patients', 'deposits', 'visits', 'evaluations', 'alerts', 'users']) {
      const [{ n }]: { n: string }[] = await db.query(`SELECT count(*) AS n FROM ${table}`);
      out.counts[table] = Number(n);
    }
    out.seconds = (performance.now() - t0) / 1000;
    return out;
  } finally {
    await db.destroy();
  }
}
