import { AsyncLocalStorage } from 'node:async_hooks';
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

/** Runs `work` in a new transaction acting for `clinicId`; services called inside join it. */
export async function runAsClinic<T>(dataSource: DataSource, clinicId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(async (manager) => {
    await setTransactionClinic(manager, clinicId);
    return storage.run({ clinicId, manager }, () => work(manager));
  });
}

/** Runs `work` acting for `clinicId` in a transaction already open (and already set to that clinic). */
export function inTenantScope<T>(scope: TenantScope, work: () => Promise<T>): Promise<T> {
  return storage.run(scope, work);
}
