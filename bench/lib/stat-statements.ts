import { withClient } from './database';

export interface StatementStat {
  query: string;
  calls: number;
  /** calls per unit of work (visit, page) */
  perUnit: number;
  totalMs: number;
  meanMs: number;
  rows: number;
}

/** Forgets what pg_stat_statements has counted so far. */
export async function resetStatements(adminUrl: string): Promise<void> {
  await withClient(adminUrl, (c) => c.query('SELECT pg_stat_statements_reset()'));
}

/**
 * The statements the service's role ran since the last reset, in this database, most called first.
 * `units` is how many visits (or pages) were served, so `perUnit` reads as statements per visit.
 */
export async function readStatements(adminUrl: string, role: string, units: number): Promise<StatementStat[]> {
  return withClient(adminUrl, async (c) => {
    const { rows } = await c.query<{ query: string; calls: string; total: number; mean: number; rows: string }>(
      `SELECT s.query, s.calls, s.total_exec_time AS total, s.mean_exec_time AS mean, s.rows
         FROM pg_stat_statements s
         JOIN pg_roles r ON r.oid = s.userid
         JOIN pg_database d ON d.oid = s.dbid
        WHERE r.rolname = $1 AND d.datname = current_database() AND s.toplevel
        ORDER BY s.calls DESC, s.total_exec_time DESC`,
      [role],
    );
    return rows.map((r) => ({
      query: r.query.replace(/\s+/g, ' ').trim(),
      calls: Number(r.calls),
      perUnit: Number(r.calls) / units,
      totalMs: r.total,
      meanMs: r.mean,
      rows: Number(r.rows),
    }));
  });
}
