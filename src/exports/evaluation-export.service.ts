import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { CustomTypesConfig, Pool } from 'pg';
import Cursor from 'pg-cursor';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { CursorReadable } from './cursor-readable';
import type { EvaluationExportQueryDto } from './dto/evaluation-export-query.dto';
import { EXPORT_APPLICATION_NAME, evaluationExportQuery, type EvaluationExportFilter } from './evaluation-export.query';
import { exportFormatter, type SourceRow } from './evaluation-export.format';
import { ExportConnection } from './export-connection';

/**
 * Rows per fetch. Fetches overlap with formatting, so round trips cost little; a small batch keeps
 * the rows short-lived (young-generation garbage), which is what keeps the RSS flat.
 */
export const EXPORT_BATCH_SIZE = 500;
/** Formatted bytes buffered ahead of the socket before fetching pauses. */
const EXPORT_HIGH_WATER_MARK = 256 * 1024;
/** A long export is one long statement: well past the request default, but still bounded. */
const EXPORT_STATEMENT_TIMEOUT = '1h';
/** A client that reads nothing for this long is cut off, so it cannot hold a connection forever. */
const EXPORT_STALL_TIMEOUT_MS = 120_000;

/** Every value is re-emitted as PostgreSQL's text: parsing it into JS types would only cost time. */
const TEXT_AS_IS: CustomTypesConfig = { getTypeParser: (() => (value: string) => value) as unknown as CustomTypesConfig['getTypeParser'] };

export type ExportOutcome = 'completed' | 'aborted' | 'failed';

export interface ExportStats {
  /** exports holding a connection right now */
  active: number;
  started: number;
  completed: number;
  aborted: number;
  failed: number;
  /** rows fetched from the database, all exports together */
  rowsRead: number;
}

/** TypeORM's PostgresDriver keeps its pg Pool as `driver.master` (no replication configured). */
export function poolOf(dataSource: DataSource): Pool {
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!pool || typeof pool.connect !== 'function') throw new Error('the export needs the PostgreSQL driver\'s pool (driver.master)');
  return pool;
}

/** At most a third of the pool streams exports; the rest stays for ordinary requests. */
export function maxConcurrentExports(pool: Pool): number {
  return Math.max(1, Math.floor((pool.options.max ?? 10) / 3));
}

export function exportFilter(actor: AuthUser, query: EvaluationExportQueryDto): EvaluationExportFilter {
  if (query.from && query.to && query.from > query.to) throw DomainError.invalid('to', 'must be on or after from');
  return { clinicId: actor.clinicId, from: query.from, to: query.to };
}

/**
 * The clinic-wide evaluation export, streamed from a server-side cursor straight into the HTTP
 * response: memory stays flat however many rows, the header leaves before the first row is read,
 * and a client that goes away stops the query and frees its connection.
 */
@Injectable()
export class EvaluationExportService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Exports');
  private readonly counters: ExportStats = { active: 0, started: 0, completed: 0, aborted: 0, failed: 0, rowsRead: 0 };
  /** Each export in progress: its response, and the promise that settles once its connection is back. */
  private readonly running = new Map<Promise<void>, Response>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  stats(): ExportStats {
    return { ...this.counters };
  }

  /** Resolves once every export in progress has ended and released its connection. */
  async settled(): Promise<void> {
    await Promise.all([...this.running.keys()]);
  }

  /**
   * Shutting down cuts the downloads in progress (their clients see a truncated file, as after a
   * database failure) rather than waiting for them — an export can last minutes — and waits until
   * their connections are back, before the pool closes.
   */
  async beforeApplicationShutdown(): Promise<void> {
    for (const res of this.running.values()) res.destroy();
    await this.settled();
  }

  /**
   * Opens the export and hands the response over to the stream: resolves once the headers (and,
   * for CSV, the header row) are on their way; the rows follow. Errors before that point are
   * thrown, so they answer as ordinary error responses.
   */
  async start(actor: AuthUser, query: EvaluationExportQueryDto, res: Response, requestId?: string): Promise<void> {
    const filter = exportFilter(actor, query);
    const format = exportFormatter(query.format ?? 'csv');
    const pool = poolOf(this.dataSource);
    if (this.counters.active >= maxConcurrentExports(pool)) {
      res.setHeader('Retry-After', '30');
      throw new DomainError(ErrorCode.TooManyRequests, 'too many exports are running; try again in a moment');
    }
    this.counters.active++;
    let connection: ExportConnection | null = null;
    let source: CursorReadable<SourceRow>;
    const progress = { rows: 0 };
    try {
      connection = new ExportConnection(await pool.connect());
      await connection.begin({ clinicId: filter.clinicId, statementTimeout: EXPORT_STATEMENT_TIMEOUT, applicationName: EXPORT_APPLICATION_NAME });
      const sql = evaluationExportQuery(filter);
      // submitted at once: the connection is idle after begin()
      const cursor = connection.client.query(new Cursor<SourceRow>(sql.text, sql.values, { rowMode: 'array', types: TEXT_AS_IS }));
      source = new CursorReadable(cursor, {
        batchSize: EXPORT_BATCH_SIZE,
        highWaterMark: EXPORT_HIGH_WATER_MARK,
        prefix: format.prefix,
        format: format.rows,
        onRows: (n) => {
          progress.rows += n;
          this.counters.rowsRead += n;
        },
      });
    } catch (err) {
      this.counters.active--;
      connection?.discard(err);
      throw err;
    }
    const opened = connection;
    opened.onBroken((err) => source.fail(err));

    res.status(200);
    res.setHeader('Content-Type', format.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="evaluations-${new Date().toISOString().slice(0, 10)}.${format.extension}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setTimeout(EXPORT_STALL_TIMEOUT_MS, () => res.destroy());
    res.flushHeaders();
    this.counters.started++;

    const run: Promise<void> = this.pump(source, res, opened, progress, filter.clinicId, requestId)
      .catch((err: unknown) => this.logger.error(`evaluation export: ${(err as Error)?.name ?? 'error'} while ending it (request ${requestId ?? '-'})`))
      .finally(() => this.running.delete(run));
    this.running.set(run, res);
  }

  /** Streams to the end, or until either side fails; then ends the transaction and frees the connection. */
  private async pump(
    source: CursorReadable<SourceRow>,
    res: Response,
    connection: ExportConnection,
    progress: { rows: number },
    clinicId: string,
    requestId?: string,
  ): Promise<void> {
    const startedAt = Date.now();
    let outcome: ExportOutcome = 'completed';
    try {
      // pipeline honours backpressure, and on any failure destroys both ends: the source closes its
      // portal, the response is cut short (the client sees a truncated download, never a hang)
      await pipeline(source, res);
    } catch {
      outcome = source.dbError || connection.broken ? 'failed' : 'aborted';
    }
    await connection.finish(outcome === 'completed' ? 'COMMIT' : 'ROLLBACK');
    this.counters.active--;
    this.counters[outcome]++;
    const line = `evaluation export ${outcome}: clinic ${clinicId}, ${progress.rows} rows, ${Date.now() - startedAt} ms (request ${requestId ?? '-'})`;
    // only ids and counts: a database message can quote row values
    if (outcome === 'failed') this.logger.warn(`${line}, ${source.dbError?.name ?? connection.broken?.name ?? 'error'}`);
    else this.logger.log(line);
  }
}
