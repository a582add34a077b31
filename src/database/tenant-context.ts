import { AsyncLocalStorage } from 'node:async_hooks';
import type { PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { preparedQuery } from './prepared';

/**
 * The clinic a unit of work acts for, and the transaction it runs in. Every query of a request runs
 * in that one transaction, which carries `app.clinic_id` for PostgreSQL's row-level security: a
 * query that forgets its clinic filter still sees only this clinic's rows.
 */
export interface TenantScope {
  clinicId: string;
  manager: EntityManager;
}

const storage = new AsyncLocalStorage<TenantScope>();

export function currentTenantScope(): TenantScope | undefined {
  return storage.getStore();
}

/** Sets the clinic for row-level security, for the rest of the current transaction. */
export async function setTransactionClinic(manager: EntityManager, clinicId: string): Promise<void> {
  await preparedQuery(manager, `SELECT set_config('app.clinic_id', $1, true)`, [clinicId]);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs `work` in a new transaction acting for `clinicId`; services called inside join it.
 *
 * The transaction is opened and given its clinic in one round trip: `START TRANSACTION` and the
 * `set_config` as one simple query, the clinic written into it once it is known to be a UUID (a
 * value the service holds itself: a verified token's clinic, or a job's). The query runner is then
 * left as TypeORM's `startTransaction` leaves it (active, depth 1), so that rollback and nested
 * `manager.transaction` calls are TypeORM's own.
 */
export async function runAsClinic<T>(dataSource: DataSource, clinicId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return runAsClinicThenCommit(dataSource, clinicId, async (manager) => ({ value: await work(manager), last: null }));
}

/**
 * As `runAsClinic`, and `work` may hand back one last statement (`last`: SQL with no parameters,
 * its values already written in) that is sent together with `COMMIT`, in one simple query: a
 * request's audit event travels with the commit that makes it durable. If it fails, nothing is
 * committed and the transaction is rolled back, as when `work` itself fails.
 */
export async function runAsClinicThenCommit<T>(
  dataSource: DataSource,
  clinicId: string,
  work: (manager: EntityManager) => Promise<{ value: T; last: string | null }>,
): Promise<T> {
  if (!UUID.test(clinicId)) throw new Error('runAsClinic: the clinic id is not a UUID');
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    Object.assign(runner, { isTransactionActive: true, transactionDepth: 1 });
    try {
      await client.query(`START TRANSACTION; SELECT set_config('app.clinic_id', '${clinicId.toLowerCase()}', true)`);
      const { value, last } = await storage.run({ clinicId, manager: runner.manager }, () => work(runner.manager));
      if (last === null) {
        await runner.commitTransaction();
      } else {
        await client.query(`${last};\nCOMMIT`);
        Object.assign(runner, { isTransactionActive: false, transactionDepth: 0 });
      }
      return value;
    } catch (err) {
      // the original error is the one that matters; after a failed COMMIT there is nothing left to roll back
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw err;
    }
  } finally {
    await runner.release();
  }
}

/** Runs `work` acting for `clinicId` in a transaction already open (and already set to that clinic). */
export function inTenantScope<T>(scope: TenantScope, work: () => Promise<T>): Promise<T> {
  return storage.run(scope, work);
}
