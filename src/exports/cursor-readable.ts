import { Readable } from 'node:stream';
import type Cursor from 'pg-cursor';

export interface CursorReadableOptions<Row> {
  /** rows per fetch (one Execute of the portal) */
  batchSize: number;
  /** bytes buffered here before fetching stops until the reader catches up */
  highWaterMark: number;
  /** sent before the first row (e.g. a CSV header) */
  prefix?: string;
  /** writes one fetched batch, handing each chunk of output to `emit` */
  format: (rows: Row[], emit: (chunk: string) => void) => void;
  onRows?: (count: number) => void;
}

/**
 * A byte stream over a server-side cursor: each fetched batch is formatted and pushed in chunks.
 *
 * Backpressure: a fetch starts only while less than `highWaterMark` is buffered (Node calls
 * `_read` only then), so a slow reader leaves the portal suspended in PostgreSQL and nothing piles
 * up in memory. Overlap: when a batch arrives and the buffer has room, the next fetch is sent
 * before this batch is formatted, so PostgreSQL produces rows while we format; at most one fetch
 * is ever in flight.
 *
 * Destroying the stream closes the portal (Close + Sync on the wire) without waiting for the
 * server: the connection's next query, queued behind it by pg, runs once the server is done.
 * After a database error the portal is already gone and is not closed again.
 */
export class CursorReadable<Row> extends Readable {
  private state: 'open' | 'done' | 'failed' = 'open';
  private fetching = false;
  /** The database error that ended the stream, if one did. */
  dbError: Error | null = null;
  private readonly pushChunk = (chunk: string): void => {
    this.push(chunk);
  };

  constructor(
    private readonly cursor: Cursor<Row>,
    private readonly options: CursorReadableOptions<Row>,
  ) {
    super({ highWaterMark: options.highWaterMark });
    // an error while no fetch is pending (the connection dropped while the reader was slow)
    cursor.on('error', (err) => this.fail(err));
    if (options.prefix) this.push(options.prefix);
  }

  override _read(): void {
    if (!this.fetching) this.fetch();
  }

  private fetch(): void {
    if (this.state !== 'open') return;
    this.fetching = true;
    this.cursor.read(this.options.batchSize, (err, rows) => {
      this.fetching = false;
      if (this.destroyed || this.state !== 'open') return;
      if (err) return this.fail(err);
      const last = rows.length < this.options.batchSize;
      if (last) this.state = 'done';
      else if (this.readableLength < this.readableHighWaterMark) this.fetch();
      if (rows.length > 0) {
        this.options.onRows?.(rows.length);
        this.options.format(rows, this.pushChunk);
        // pg-cursor keeps the last batch (as its result's rows) until the next one has arrived: let
        // go of the rows now, or they live long enough to be promoted to V8's old generation, and
        // the process's RSS climbs by tens of MB per million rows until a full collection
        rows.length = 0;
      }
      if (last) this.push(null);
    });
  }

  /** Ends the stream because of the database (a failed fetch, a dropped connection). */
  fail(err: Error): void {
    // once the last batch is in, the rows are all here: the broken connection only costs its COMMIT
    if (this.state !== 'open') return;
    this.state = 'failed';
    this.dbError = err;
    this.destroy(err);
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    if (this.state === 'open') {
      this.state = 'done';
      this.cursor.close(() => undefined);
    }
    callback(err);
  }
}
