import { SOURCE_COLUMNS } from './evaluation-export.columns';

/** Names the export's statement in pg_stat_activity, and its session while it runs. */
export const EXPORT_QUERY_TAG = 'calcitrack:evaluations-export';
export const EXPORT_APPLICATION_NAME = 'calcitrack-export';

export interface EvaluationExportFilter {
  clinicId: string;
  /** first visit date included, YYYY-MM-DD */
  from?: string;
  /** last visit date included, YYYY-MM-DD */
  to?: string;
}

export interface SqlQuery {
  text: string;
  values: unknown[];
}

/** The columns the select list takes from one joined table (`p.mrn` → from patients p). */
function columnsOf(alias: 'p' | 'd'): string {
  return SOURCE_COLUMNS.map((c) => c.sql)
    .filter((sql) => sql.startsWith(`${alias}.`))
    .join(', ');
}

/**
 * The export's one SELECT: each evaluation as it stands now (its row holds the current version;
 * earlier versions live in evaluation_versions), with its patient's MRN and its deposit.
 *
 * The order (deposit, visit date, insertion) is the one `evaluations_deposit_idx
 * (clinic_id, deposit_id, visit_date, seq)` already holds, so PostgreSQL streams rows off that
 * index with no sort: the first row is ready at once, however large the clinic. (Chronological
 * order across the clinic would need an index on (clinic_id, visit_date, seq), or a full sort
 * before the first row.) Patient and deposit are looked up per row by primary key (LATERAL …
 * OFFSET 0 keeps the planner from turning them into joins it could misjudge; PostgreSQL memoizes
 * the lookups, since consecutive rows share their deposit). The clinic filter stays in the SQL
 * even under row-level security: it is what the index is searched on.
 */
export function evaluationExportQuery(filter: EvaluationExportFilter): SqlQuery {
  const values: unknown[] = [filter.clinicId];
  const where = ['e.clinic_id = $1'];
  if (filter.from) {
    values.push(filter.from);
    where.push(`e.visit_date >= $${values.length}::date`);
  }
  if (filter.to) {
    values.push(filter.to);
    where.push(`e.visit_date <= $${values.length}::date`);
  }
  const text = `/* ${EXPORT_QUERY_TAG} */
SELECT ${SOURCE_COLUMNS.map((c) => c.sql).join(',\n       ')}
  FROM evaluations e
 CROSS JOIN LATERAL (SELECT ${columnsOf('p')} FROM patients p WHERE p.clinic_id = e.clinic_id AND p.id = e.patient_id OFFSET 0) p
 CROSS JOIN LATERAL (SELECT ${columnsOf('d')} FROM deposits d WHERE d.clinic_id = e.clinic_id AND d.id = e.deposit_id OFFSET 0) d
 WHERE ${where.join('\n   AND ')}
 ORDER BY e.deposit_id, e.visit_date, e.seq`;
  return { text, values };
}
