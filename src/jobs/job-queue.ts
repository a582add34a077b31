import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ADVISORY_LOCK } from '../database/advisory-locks';

export const DATABASE_URL = Symbol('DATABASE_URL');

/** pg-boss keeps its tables in a schema of its own, created and migrated by pg-boss at start-up. */
export const JOB_SCHEMA = 'pgboss';

export interface JobDefinition<T extends object> {
  queue: string;
  /** `short`: at most one job waiting per singleton key (a second send while one waits is dropped) */
  policy: 'standard' | 'short';
  /** how many jobs of this queue one instance works on at once */
  concurrency: number;
  /** a job running longer is failed (and retried) by pg-boss */
  expireInSeconds: number;
  /** how often pg-boss retries a job whose handler threw */
  retryLimit: number;
  retryDelaySeconds: number;
  /** a cron schedule (UTC): pg-boss sends the job at those times, from one instance only */
  cron?: string;
  handler: (data: T) => Promise<void>;
}

/**
 * The one job system: pg-boss on the service's own PostgreSQL. Feature modules define their
 * queues while the application initialises; the queue starts with the application (when
 * BACKGROUND_JOBS is on), creates the queues and schedules, and starts the workers. Jobs are
 * fetched with SKIP LOCKED, so across instances each job runs once at a time.
 */
@Injectable()
export class JobQueue implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('JobQueue');
  private readonly definitions = new Map<string, JobDefinition<object>>();
  private readonly workers = new Map<string, string[]>();
  private readonly startedListeners: (() => void)[] = [];
  private boss: PgBoss | null = null;
  private stoppingFlag = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
  ) {}

  define<T extends object>(definition: JobDefinition<T>): void {
    if (this.boss) throw new Error(`queue ${definition.queue} defined after the job queue started`);
    this.definitions.set(definition.queue, definition as unknown as JobDefinition<object>);
  }

  /** Runs `listener` once the queue runs (at once when it already does); never when jobs are off. */
  onStarted(listener: () => void): void {
    if (this.boss) listener();
    else this.startedListeners.push(listener);
  }

  get running(): boolean {
    return this.boss !== null && !this.stoppingFlag;
  }

  /** True from the moment the application starts shutting down: long handlers end early. */
  get stopping(): boolean {
    return this.stoppingFlag;
  }

  /**
   * Queues a job in the caller's transaction: it becomes visible when the transaction commits,
   * and never if it rolls back.
   */
  async sendWithin(manager: EntityManager, queue: string, data: object, options: PgBoss.SendOptions = {}): Promise<string | null> {
    const boss = this.requireBoss();
    const db: PgBoss.Db = { executeSql: async (text, values) => ({ rows: await manager.query(text, values) }) };
    return boss.send(queue, data, { ...options, db });
  }

  async send(queue: string, data: object, options: PgBoss.SendOptions = {}): Promise<string | null> {
    return this.requireBoss().send(queue, data, options);
  }

  /** Asks this instance's workers of `queue` to fetch now rather than at their next poll. */
  wake(queue: string): void {
    for (const id of this.workers.get(queue) ?? []) this.boss?.notifyWorker(id);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.backgroundJobs) {
      this.logger.log('background jobs are off (BACKGROUND_JOBS=off): no notification is delivered, no daily job runs in this instance');
      return;
    }
    const boss = new PgBoss({
      connectionString: this.databaseUrl,
      schema: JOB_SCHEMA,
      max: 3,
      application_name: 'calcitrack-jobs',
      // completed jobs are kept a day (their ids only: job data carries ids, never patient data)
      archiveCompletedAfterSeconds: 3600,
      deleteAfterDays: 1,
    });
    boss.on('error', (err: Error) => this.logger.warn(`job queue: ${err.message}`));
    await this.setUpExclusively(boss);
    for (const def of this.definitions.values()) {
      const ids: string[] = [];
      for (let i = 0; i < def.concurrency; i++) {
        ids.push(
          await boss.work<object>(def.queue, { batchSize: 1, pollingIntervalSeconds: this.config.jobPollingSeconds }, async ([job]) => {
            try {
              await def.handler(job.data);
            } catch (err) {
              // pg-boss retries the job; the log names the queue and the error, never job data
              this.logger.warn(`job ${def.queue} failed: ${(err as Error).name}: ${String((err as Error).message).slice(0, 200)}`);
              throw err;
            }
          }),
        );
      }
      this.workers.set(def.queue, ids);
    }
    this.boss = boss;
    this.logger.log(`job queue running on pg-boss (schema ${JOB_SCHEMA}): ${[...this.definitions.keys()].join(', ')}`);
    for (const listener of this.startedListeners.splice(0)) listener();
  }

  /**
   * pg-boss's schema, the queues (each a partition of its job table) and the schedules, created by
   * one instance at a time: instances starting together would otherwise deadlock on the DDL.
   */
  private async setUpExclusively(boss: PgBoss): Promise<void> {
    const lock = new pg.Client({ connectionString: this.databaseUrl, application_name: 'calcitrack-jobs-setup' });
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK.jobQueueSetUp]);
      await boss.start();
      for (const def of this.definitions.values()) {
        const options: PgBoss.Queue = {
          name: def.queue,
          policy: def.policy,
          expireInSeconds: def.expireInSeconds,
          retryLimit: def.retryLimit,
          retryDelay: def.retryDelaySeconds,
        };
        await boss.createQueue(def.queue, options);
        await boss.updateQueue(def.queue, options);
        if (def.cron) await boss.schedule(def.queue, def.cron, {}, { tz: 'UTC' });
        else await boss.unschedule(def.queue);
      }
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK.jobQueueSetUp]).catch(() => undefined);
      await lock.end();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stoppingFlag = true;
    const boss = this.boss;
    if (!boss) return;
    // handlers see `stopping` and finish what they hold; pg-boss waits for them
    await boss.stop({ graceful: true, wait: true, timeout: 20_000 });
    this.boss = null;
  }

  private requireBoss(): PgBoss {
    if (!this.boss) throw new Error('the job queue is not running');
    return this.boss;
  }
}
