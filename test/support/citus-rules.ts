/**
 * Citus's rules for a schema distributed by `clinic_id`, checked against PostgreSQL's catalogue.
 * The plan they follow is docs/scaling.md: every table with a `clinic_id` column is a distributed
 * table (distribution column `clinic_id`, all co-located); the tables below are not.
 *
 * The rules (Citus documentation, "Creating and Modifying Distributed Objects": constraints; and
 * Citus's own checks in src/backend/distributed/commands/table.c, index.c, foreign_constraint.c):
 * - a primary key, unique constraint or unique index of a distributed table has the distribution
 *   column among its key columns (a plain column, not inside an expression);
 * - a foreign key between two distributed tables pairs the distribution column with the
 *   distribution column, at the same position on both sides;
 * - a distributed table may reference a reference table; a reference or local table may not
 *   reference a distributed table, and a distributed table may not reference a local table;
 * - a foreign key over the distribution column may not `ON DELETE SET NULL/SET DEFAULT`, nor
 *   `ON UPDATE SET NULL/SET DEFAULT/CASCADE`;
 * - the distribution column holds no NULL.
 */

/** Replicated to every node: small, written rarely, read by every request. */
export const REFERENCE_TABLES = ['clinics', 'users'];

/** Kept on the coordinator only (Citus "local" tables). */
export const LOCAL_TABLES = ['migrations', 'audit_events_unscoped', 'rate_limit_counters'];

export const DISTRIBUTION_COLUMN = 'clinic_id';

type Query = (sql: string, params?: unknown[]) => Promise<unknown[]>;

interface TableRow {
  oid: number;
  name: string;
  clinic_attnum: number | null;
  clinic_not_null: boolean | null;
}

interface IndexRow {
  table_oid: number;
  name: string;
  indkey: string;
  key_columns: number;
}

interface ForeignKeyRow {
  name: string;
  table_oid: number;
  target_oid: number;
  conkey: number[];
  confkey: number[];
  on_update: string;
  on_delete: string;
}

export type TableKind = 'distributed' | 'reference' | 'local';

/** How the plan places each table of the schema (those it does not place are violations). */
export async function tableKinds(query: Query): Promise<Map<string, TableKind | null>> {
  const tables = (await query(TABLES_SQL)) as TableRow[];
  return new Map(tables.map((t) => [t.name, kindOf(t)]));
}

function kindOf(t: TableRow): TableKind | null {
  if (REFERENCE_TABLES.includes(t.name)) return 'reference';
  if (LOCAL_TABLES.includes(t.name)) return 'local';
  return t.clinic_attnum !== null ? 'distributed' : null;
}

/** Every way the current schema breaks those rules, one sentence each; empty when it is ready. */
export async function citusViolations(query: Query): Promise<string[]> {
  const tables = (await query(TABLES_SQL)) as TableRow[];
  const byOid = new Map(tables.map((t) => [t.oid, t]));
  const kind = (oid: number): TableKind | 'outside the schema' | null => (byOid.has(oid) ? kindOf(byOid.get(oid)!) : 'outside the schema');
  const out: string[] = [];

  for (const t of tables) {
    const k = kindOf(t);
    if (k === null) out.push(`table ${t.name} has no ${DISTRIBUTION_COLUMN} and is not listed as a reference or local table`);
    if (k === 'distributed' && !t.clinic_not_null) out.push(`table ${t.name}: ${DISTRIBUTION_COLUMN} may be NULL`);
  }
  for (const name of [...REFERENCE_TABLES, ...LOCAL_TABLES]) {
    if (!tables.some((t) => t.name === name)) out.push(`table ${name} is listed but does not exist`);
  }

  for (const index of (await query(UNIQUE_INDEXES_SQL)) as IndexRow[]) {
    const table = byOid.get(index.table_oid)!;
    if (kindOf(table) !== 'distributed') continue;
    const keys = index.indkey.split(' ').slice(0, index.key_columns).map(Number);
    if (!keys.includes(table.clinic_attnum!)) out.push(`${table.name}: unique index ${index.name} does not include ${DISTRIBUTION_COLUMN}`);
  }

  for (const fk of (await query(FOREIGN_KEYS_SQL)) as ForeignKeyRow[]) {
    const from = byOid.get(fk.table_oid);
    if (!from) continue;
    const fromKind = kindOf(from);
    const toKind = kind(fk.target_oid);
    const to = byOid.get(fk.target_oid);
    const label = `${from.name}: foreign key ${fk.name}`;
    if (fromKind !== 'distributed') {
      if (toKind === 'distributed') out.push(`${label}: a ${fromKind ?? 'unplaced'} table may not reference the distributed table ${to!.name}`);
      continue;
    }
    if (toKind === 'local' || toKind === 'outside the schema' || toKind === null) {
      out.push(`${label}: a distributed table may reference only distributed and reference tables`);
      continue;
    }
    const at = fk.conkey.indexOf(from.clinic_attnum!);
    if (toKind === 'distributed' && (at === -1 || fk.confkey[at] !== to!.clinic_attnum)) {
      out.push(`${label}: does not pair ${DISTRIBUTION_COLUMN} with ${to!.name}.${DISTRIBUTION_COLUMN}`);
    }
    if (at !== -1 && (['n', 'd'].includes(fk.on_delete) || ['n', 'd', 'c'].includes(fk.on_update))) {
      out.push(`${label}: an action that would change ${DISTRIBUTION_COLUMN} (ON DELETE SET NULL/DEFAULT, ON UPDATE SET NULL/DEFAULT/CASCADE)`);
    }
  }
  return out;
}

const TABLES_SQL = `
  SELECT c.oid::int AS oid, c.relname AS name, a.attnum::int AS clinic_attnum, a.attnotnull AS clinic_not_null
    FROM pg_class c
    LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = '${DISTRIBUTION_COLUMN}' AND NOT a.attisdropped
   WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
   ORDER BY c.relname`;

// primary keys, unique constraints and unique indexes alike (each has an index); exclusion constraints too
const UNIQUE_INDEXES_SQL = `
  SELECT i.indrelid::int AS table_oid, i.indexrelid::regclass::text AS name, i.indkey::text AS indkey, i.indnkeyatts::int AS key_columns
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
   WHERE c.relnamespace = current_schema()::regnamespace AND (i.indisunique OR i.indisexclusion)
   ORDER BY 2`;

const FOREIGN_KEYS_SQL = `
  SELECT conname AS name, conrelid::int AS table_oid, confrelid::int AS target_oid, conkey::int[] AS conkey, confkey::int[] AS confkey,
         confupdtype AS on_update, confdeltype AS on_delete
    FROM pg_constraint
   WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
   ORDER BY conname`;
