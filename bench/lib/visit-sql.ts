import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { CLINICAL_CONTEXT } from '../../src/alerts/clinical-history.loader';
import { auditEventStatement } from '../../src/audit/audit-writer';
import { COUNT_AND_FIND_SESSION } from '../../src/auth/auth.guard';
import { statementName } from '../../src/database/prepared';
import { INSERT_VISIT_WITH_EVALUATIONS } from '../../src/visits/evaluation-writer';
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
 * (`npm run bench` prints that capture and stores it in results.json as `sql.visit`). Every text is
 * the service's own constant, sent as the service sends it: with parameters, as a named prepared
 * statement. The bench compares the statement count of this replay with the
 * captured count on every run and says so when they differ (the service changed: update this
 * file).
 */
export const VISIT_STATEMENTS = 8;

/** The request's audit event and COMMIT in one simple query, as the service sends them (runAsClinicThenCommit). */
const auditAndCommit = (client: pg.PoolClient, clinicId: string, actorId: string, patientId: string | null, action: string, recordType: string, recordId: string | null, status: number) =>
  client.query(
    `${auditEventStatement({ clinicId, actorId, actorRole: 'physician', patientId, action, recordType, recordId, outcome: 'success', statusCode: status, clientIp: '127.0.0.1', requestId: randomUUID() })};\nCOMMIT`,
  );

const guard = (pool: pg.Pool, session: BenchSession, clinicId: string) =>
  pool.query({ name: statementName(COUNT_AND_FIND_SESSION), text: COUNT_AND_FIND_SESSION, values: [`user:${session.userId}`, 60, session.userId, session.sessionId, clinicId] });

/** START TRANSACTION and the clinic for row-level security in one simple query, as runAsClinic (src/database/tenant-context.ts) sends them. */
const begin = (client: pg.PoolClient, clinicId: string, mode = '') => client.query(`START TRANSACTION${mode}; SELECT set_config('app.clinic_id', '${clinicId}', true)`);

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
  // the auth guard's request counter and user lookup, one statement on a pooled connection of its own, before the request's transaction
  await guard(pool, session, clinicId);
  statements += 1;
  const client = await pool.connect();
  // as the service sends them: with parameters, a named prepared statement (src/database/prepared.ts)
  const q = async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    statements++;
    return client.query<R>(values ? { name: statementName(text), text, values } : text);
  };
  try {
    await begin(client, clinicId);
    statements += 2;
    await q(LOCK_PATIENT_CHECK_DEPOSITS, [clinicId, patientId, depositIds]);
    const visitId = randomUUID();
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
    await q(INSERT_VISIT_WITH_EVALUATIONS, [clinicId, patientId, visitId, body.visitDate, session.userId, JSON.stringify(rows)]);
    await q(CLINICAL_CONTEXT, [clinicId, patientId, depositIds, body.visitDate, null, visitId, true]);
    await auditAndCommit(client, clinicId, session.userId, patientId, 'visit.create', 'visit', visitId, 201);
    statements += 2;
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
 * The inbox page's SQL through `pg`, the same way: the guard's counter and lookup, then
 * START TRANSACTION with set_config, the inbox query exactly as the service builds it (`sql`: the
 * page with its patients and deposits), the audit event with COMMIT.
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
    await guard(pool, session, options.clinicId);
    const client = await pool.connect();
    const q = <R extends pg.QueryResultRow>(text: string, values: unknown[]) => client.query<R>({ name: statementName(text), text, values });
    try {
      await begin(client, options.clinicId, options.audit ? '' : ' READ ONLY');
      await q(options.sql, options.params); // the page, its patients and deposits joined
      if (options.audit) await auditAndCommit(client, options.clinicId, session.userId, null, 'alert.list', 'alert', null, 200);
      else await client.query('COMMIT');
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
