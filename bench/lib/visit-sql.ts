import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { CLINICAL_CONTEXT } from '../../src/alerts/clinical-history.loader';
import { HIT } from '../../src/auth/rate-limit.store';
import { INSERT_EVALUATIONS } from '../../src/visits/evaluation-writer';
import { LOCK_PATIENT_CHECK_DEPOSITS } from '../../src/visits/visits.service';
import type { BenchSession } from './http';
import { summarise, type LoadResult } from './load';
import type { VisitPatient } from './seed';
import { visitBody } from './workloads';

/**
 * The framework-overhead baseline: the SQL the service issues for one visit (3 evaluations, no alert
 * raised), replayed straight through `pg` — same statements, same order, same round trips, same
 * pool size (10), same role and row-level security — with none of HTTP, NestJS, validation,
 * TypeORM or the rules in between.
 *
 * How it was derived: pg_stat_statements on the bench server after visits sent through the API
 * (`npm run bench` prints that capture and stores it in results.json as `sql.visit`). Each text
 * below is the captured one with pg_stat_statements' `$n` placeholders restored to the service's
 * literals and parameters. The bench compares the statement count of this replay with the
 * captured count on every run and says so when they differ (the service changed: update this
 * file).
 */
export const VISIT_STATEMENTS = 11;

const AUTH = `SELECT u.id, u.clinic_id, u.role, u.active, (s.revoked_at IS NULL AND s.expires_at > now()) AS live
  FROM users u JOIN sessions s ON s.clinic_id = u.clinic_id AND s.user_id = u.id AND s.id = $2
  WHERE u.id = $1 AND u.clinic_id = $3`;
const INSERT_VISIT = `INSERT INTO "visits"("id", "clinic_id", "patient_id", "visit_date", "created_by", "created_at") VALUES (DEFAULT, $1, $2, $3, $4, DEFAULT) RETURNING "id", "created_at"`;
const OVERDUE = `SELECT "a"."id" AS "a_id", "a"."clinic_id" AS "a_clinic_id", "a"."patient_id" AS "a_patient_id", "a"."deposit_id" AS "a_deposit_id", "a"."rule" AS "a_rule", "a"."severity" AS "a_severity", "a"."severity_rank" AS "a_severity_rank", "a"."status" AS "a_status", "a"."message" AS "a_message", "a"."evidence" AS "a_evidence", "a"."evidence_history" AS "a_evidence_history", "a"."suggested_action" AS "a_suggested_action", "a"."settings_version" AS "a_settings_version", "a"."version" AS "a_version", "a"."created_at" AS "a_created_at", "a"."updated_at" AS "a_updated_at", "a"."acknowledged_by" AS "a_acknowledged_by", "a"."acknowledged_at" AS "a_acknowledged_at", "a"."decision" AS "a_decision", "a"."note" AS "a_note", "a"."resolved_by" AS "a_resolved_by", "a"."resolved_at" AS "a_resolved_at", "a"."reference_date" AS "a_reference_date" FROM "alerts" "a" WHERE "a"."clinic_id" = $1 AND "a"."deposit_id" IN ($2, $3, $4) AND "a"."rule" = 'OVERDUE_REVIEW' AND "a"."status" <> 'resolved' FOR UPDATE`;
const AUDIT = `INSERT INTO audit_events (clinic_id, actor_id, actor_role, patient_id, action, record_type, record_id, outcome, status_code, client_ip, request_id, seq, prev_hash, hash)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, '', '')`;

interface EvaluationInput {
  depositId: string;
  method: string;
  longestDiameterMm: number;
  perpendicularDiameterMm: number;
  depthMm: number;
  shape: string;
  margin: string;
  position: { landmark: string; xMm: number; yMm: number };
  mobility: string;
  painScore: number;
}

/** One visit's statements; returns how many it sent. */
export async function visitThroughPg(pool: pg.Pool, session: BenchSession, patient: VisitPatient, body: { visitDate: string; evaluations: EvaluationInput[] }): Promise<number> {
  const { clinicId, patientId } = patient;
  const depositIds = body.evaluations.map((e) => e.depositId);
  let statements = 0;
  // the auth guard's lookup and the request counter run on pooled connections of their own, at once, before the request's transaction
  await Promise.all([pool.query(AUTH, [session.userId, session.sessionId, clinicId]), pool.query({ name: 'calcitrack-rate-limit-hit', text: HIT, values: [`user:${session.userId}`, 60] })]);
  statements += 2;
  const client = await pool.connect();
  const q = async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    statements++;
    return client.query<R>(text, values);
  };
  try {
    await q('START TRANSACTION');
    await q(`SELECT set_config('app.clinic_id', $1, true)`, [clinicId]);
    await q(LOCK_PATIENT_CHECK_DEPOSITS, [clinicId, patientId, depositIds]);
    const visit = (await q<{ id: string }>(INSERT_VISIT, [clinicId, patientId, body.visitDate, session.userId])).rows[0];
    const rows = body.evaluations.map((e, ord) => {
      const m = {
        method: e.method,
        longestDiameterMm: e.longestDiameterMm,
        perpendicularDiameterMm: e.perpendicularDiameterMm,
        depthMm: e.depthMm,
        shape: e.shape,
        margin: e.margin,
        landmark: e.position.landmark,
        xMm: e.position.xMm,
        yMm: e.position.yMm,
        mobility: e.mobility,
        ulcerated: false,
        infectionSigns: false,
        inflammation: false,
        nerveCompression: false,
        drainage: 'none',
        painScore: e.painScore,
        notes: null,
      };
      return { ord, deposit_id: e.depositId, data: m, ...m };
    });
    await q(INSERT_EVALUATIONS, [clinicId, patientId, visit.id, body.visitDate, session.userId, JSON.stringify(rows)]);
    await q(CLINICAL_CONTEXT, [clinicId, patientId, depositIds, body.visitDate, null, visit.id]);
    await q(OVERDUE, [clinicId, ...depositIds]);
    await q(AUDIT, [clinicId, session.userId, 'physician', patientId, 'visit.create', 'visit', visit.id, 'success', 201, '127.0.0.1', randomUUID()]);
    await q('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  return statements;
}

/**
 * The replay under load: `connections` workers, each sending one visit after another for
 * `seconds`, through one pool of 10 connections (the service's default), over the same patients
 * in the same order as the HTTP run.
 */
export async function replayVisits(
  url: string,
  options: { connections: number; seconds: number; pools: VisitPatient[][]; sessionsByClinic: Map<string, BenchSession[]>; date: string },
): Promise<LoadResult & { statementsPerVisit: number }> {
  const pool = new pg.Pool({ connectionString: url, max: 10, application_name: 'calcitrack-bench-sql', statement_timeout: 30000 });
  const latencies: number[] = [];
  const codes: Record<string, number> = {};
  let errors = 0;
  let statements = 0;
  let n = 0;
  const cursors = options.pools.map(() => 0);
  const users = new Map<string, number>();
  const nextVisit = () => {
    const c = n % options.pools.length;
    const pool = options.pools[c];
    const patient = pool[cursors[c]++ % pool.length];
    const sessions = options.sessionsByClinic.get(patient.clinicId)!;
    const u = users.get(patient.clinicId) ?? 0;
    users.set(patient.clinicId, u + 1);
    return { patient, session: sessions[u % sessions.length], body: JSON.parse(visitBody(patient, options.date, n++)) as { visitDate: string; evaluations: EvaluationInput[] } };
  };
  const t0 = performance.now();
  const deadline = t0 + options.seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: options.connections }, async () => {
        while (performance.now() < deadline) {
          const v = nextVisit();
          const started = performance.now();
          try {
            statements += await visitThroughPg(pool, v.session, v.patient, v.body);
            latencies.push(performance.now() - started);
            codes['201'] = (codes['201'] ?? 0) + 1;
          } catch {
            errors++;
          }
        }
      }),
    );
  } finally {
    await pool.end();
  }
  const result = summarise(latencies, (performance.now() - t0) / 1000, options.connections, errors, codes);
  return { ...result, statementsPerVisit: statements / Math.max(1, latencies.length) };
}

/**
 * The inbox page's SQL through `pg`, the same way: the guard's lookup and the request counter, then
 * START TRANSACTION, set_config, the inbox query exactly as the service builds it (`sql`), the
 * page's patients and deposits, the audit event and COMMIT.
 * Without `audit`, the same page as a read-only transaction: what the audit event of a read costs.
 */
export async function replayInbox(
  url: string,
  options: { connections: number; seconds: number; sessions: BenchSession[]; clinicId: string; sql: string; params: unknown[]; audit: boolean },
): Promise<LoadResult> {
  const pool = new pg.Pool({ connectionString: url, max: 10, application_name: 'calcitrack-bench-sql', statement_timeout: 30000 });
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const t0 = performance.now();
  const deadline = t0 + options.seconds * 1000;
  const page = async (session: BenchSession) => {
    await Promise.all([pool.query(AUTH, [session.userId, session.sessionId, options.clinicId]), pool.query({ name: 'calcitrack-rate-limit-hit', text: HIT, values: [`user:${session.userId}`, 60] })]);
    const client = await pool.connect();
    try {
      await client.query(options.audit ? 'START TRANSACTION' : 'START TRANSACTION READ ONLY');
      await client.query(`SELECT set_config('app.clinic_id', $1, true)`, [options.clinicId]);
      const { rows } = await client.query<{ patientId: string; depositId: string | null }>(options.sql, options.params);
      // the page's patients and deposits, by primary key (AlertsService.withSubjects)
      await client.query(`SELECT id, mrn, name FROM patients WHERE clinic_id = $1 AND id = ANY($2::uuid[])`, [options.clinicId, [...new Set(rows.map((r) => r.patientId))]]);
      await client.query(`SELECT id, label FROM deposits WHERE clinic_id = $1 AND id = ANY($2::uuid[])`, [options.clinicId, [...new Set(rows.flatMap((r) => (r.depositId ? [r.depositId] : [])))]]);
      if (options.audit) await client.query(AUDIT, [options.clinicId, session.userId, 'physician', null, 'alert.list', 'alert', null, 'success', 200, '127.0.0.1', randomUUID()]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
  try {
    await Promise.all(
      Array.from({ length: options.connections }, async () => {
        while (performance.now() < deadline) {
          const started = performance.now();
          try {
            await page(options.sessions[n++ % options.sessions.length]);
            latencies.push(performance.now() - started);
          } catch {
            errors++;
          }
        }
      }),
    );
  } finally {
    await pool.end();
  }
  return summarise(latencies, (performance.now() - t0) / 1000, options.connections, errors, { '200': latencies.length });
}
