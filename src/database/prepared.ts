import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';

/**
 * How many distinct texts get a name. The hot statements are constants, the inbox's a handful of
 * variants (its filters); past this bound a new text is sent unnamed, as before, so a caller that
 * builds texts without bound cannot grow every connection's prepared statements without bound.
 */
const MAX_NAMED = 200;
const names = new Map<string, string>();

/** The statement's name, derived from its text: the same text has the same name on every connection. */
export function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) {
    name = `ct_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * A hot statement as a named prepared statement: PostgreSQL parses and plans it once per
 * connection instead of on every call (the visit's statements spent as much time being planned as
 * being run — bench/PROFILE.md, phase D). Inside a transaction it runs on the transaction's own
 * connection; outside one, as `manager.query` would. Rows come back as `manager.query` returns a
 * SELECT's or an `INSERT … RETURNING`'s (not for an UPDATE or DELETE, whose result TypeORM shapes
 * differently). Errors are the driver's, with their `code` and `constraint` (src/database/pg-errors.ts).
 */
export async function preparedQuery<R extends QueryResultRow>(manager: EntityManager, text: string, values: unknown[]): Promise<R[]> {
  const runner = manager.queryRunner as PostgresQueryRunner | undefined;
  if (!runner || runner.isReleased) return manager.query(text, values);
  const client = (await runner.connect()) as PoolClient;
  const { rows } = await client.query<R>({ name: statementName(text), text, values });
  return rows;
}

/** The same on a pooled connection of its own, outside any transaction (the auth guard's lookup). */
export async function preparedPoolQuery<R extends QueryResultRow>(dataSource: DataSource, text: string, values: unknown[]): Promise<R[]> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  const { rows } = await pool.query<R>({ name: statementName(text), text, values });
  return rows;
}
