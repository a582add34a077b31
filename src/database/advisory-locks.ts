import type { EntityManager } from 'typeorm';

/**
 * The advisory lock keys the service takes, in one place so that none collide. (The audit chain's
 * per-clinic transaction locks are keyed by a hash of the clinic id, in the database trigger.)
 */
export const ADVISORY_LOCK = {
  /** session lock: one instance applies migrations at a time */
  migrations: 7_302_118_001,
  /** transaction lock: one instance at a time checks for, and writes, the first clinic or the demo */
  startUpData: 7_302_118_002,
  /** session lock: one instance at a time installs pg-boss and creates its queues and schedules (concurrent DDL deadlocks) */
  jobQueueSetUp: 7_302_118_003,
} as const;

/**
 * Holds the start-up data lock until the transaction ends. Whoever waited on it and then reads,
 * reads what the holder committed: the check-then-write of start-up data runs once however many
 * instances start together.
 */
export async function lockStartUpData(manager: EntityManager): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK.startUpData]);
}
