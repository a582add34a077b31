import type { PoolClient } from 'pg';

export interface ExportSessionSettings {
  clinicId: string;
  statementTimeout: string;
  applicationName: string;
}

/**
 * The export transaction's settings, all local to it: the clinic for row-level security, a
 * statement timeout sized for a long download, a name in pg_stat_activity, and no sorts. The rows
 * must come off evaluations_deposit_idx in order: with a full sort the first row would wait for
 * the last to be read, and with an incremental one the planner, misled by small or stale
 * statistics, was seen to drive the query from the deposits and re-scan each patient's
 * evaluations once per deposit.
 */
export function exportSessionSql(settings: ExportSessionSettings): { text: string; values: string[] } {
  return {
    text: `SELECT set_config('app.clinic_id', $1, true), set_config('statement_timeout', $2, true),
                  set_config('application_name', $3, true),
                  set_config('enable_sort', 'off', true), set_config('enable_incremental_sort', 'off', true)`,
    values: [settings.clinicId, settings.statementTimeout, settings.applicationName],
  };
}

/**
 * One pool connection checked out for the length of an export. It goes back to the pool exactly
 * once, and a connection that broke (or whose transaction could not be ended) is discarded rather
 * than handed to the next request.
 */
export class ExportConnection {
  private released = false;
  private readonly brokenListeners: ((err: Error) => void)[] = [];
  /** Why the connection can no longer be trusted, once it cannot. */
  broken: Error | null = null;

  // While checked out, pg-pool listens for nothing on the client: an unhandled 'error' would crash the process.
  private readonly onError = (err: Error): void => {
    if (this.broken) return;
    this.broken = err;
    for (const listener of this.brokenListeners) listener(err);
  };

  constructor(readonly client: PoolClient) {
    client.on('error', this.onError);
  }

  onBroken(listener: (err: Error) => void): void {
    this.brokenListeners.push(listener);
  }

  /** A read-only snapshot (REPEATABLE READ: every row as of one moment, however long the download), with the settings above. */
  async begin(settings: ExportSessionSettings): Promise<void> {
    await this.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const { text, values } = exportSessionSql(settings);
    await this.client.query(text, values);
  }

  /**
   * Ends the transaction (pg queues it behind whatever the connection still runs, e.g. the closing
   * of the portal), then releases. A connection that does not answer within `timeoutMs` is
   * discarded: the export's slot and the pool connection are never held forever.
   */
  async finish(command: 'COMMIT' | 'ROLLBACK', timeoutMs = 30_000): Promise<void> {
    if (!this.broken) {
      let timer: NodeJS.Timeout | undefined;
      const ended = this.client.query(command);
      ended.catch(() => undefined); // still settles after a timeout: never an unhandled rejection
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${command} of the export did not answer in ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([ended, timeout]);
      } catch (err) {
        this.broken = err instanceof Error ? err : new Error(String(err));
      } finally {
        clearTimeout(timer);
      }
    }
    this.release();
  }

  /** Gives the connection up without ending its transaction: the pool closes it. */
  discard(err: unknown): void {
    this.broken ??= err instanceof Error ? err : new Error(String(err));
    this.release();
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    this.client.removeListener('error', this.onError);
    this.client.release(this.broken ?? undefined);
  }
}
