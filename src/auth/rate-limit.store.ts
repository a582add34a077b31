import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

// One statement, outside any request transaction: the row lock it takes ends with the statement,
// so one user's concurrent requests wait on each other for microseconds, never for a request.
// A window starts at its key's first request and lasts `$2` seconds; the database's clock decides.
export const HIT = `
  INSERT INTO rate_limit_counters AS c (key, window_ends, hits)
  VALUES ($1, now() + make_interval(secs => $2), 1)
  ON CONFLICT (key) DO UPDATE
     SET hits = CASE WHEN c.window_ends <= now() THEN 1 ELSE c.hits + 1 END,
         window_ends = CASE WHEN c.window_ends <= now() THEN excluded.window_ends ELSE c.window_ends END
  RETURNING c.hits, ceil(extract(epoch FROM c.window_ends - now()))::int AS seconds_left`;

const SWEEP_EVERY_MS = 60_000;

/** What a counter row returned by `HIT` means: the seconds to wait when it is over `limit`, else 0. */
export function secondsToWait(row: { hits: number; seconds_left: number }, limit: number): number {
  return row.hits > limit ? Math.max(1, row.seconds_left) : 0;
}

/**
 * Fixed-window request counters kept in PostgreSQL (`rate_limit_counters`), so that a limit holds
 * across every instance of the service, not per instance. If the database cannot be reached the
 * request is let through: it then fails on its own database work (503), and /health can say so.
 */
@Injectable()
export class RateLimitStore implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private timer: NodeJS.Timeout | null = null;
  private lastWarning = 0;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Counts one request for `key`; returns the seconds to wait when it is over `limit`, else 0. */
  async hit(key: string, limit: number, windowSeconds: number): Promise<number> {
    let row: { hits: number; seconds_left: number } | undefined;
    try {
      // straight to the driver's pool, as a prepared statement (parsed and planned once per connection)
      const pool = (this.db.driver as PostgresDriver).master as Pool;
      ({ rows: [row] } = await pool.query<{ hits: number; seconds_left: number }>({ name: 'calcitrack-rate-limit-hit', text: HIT, values: [key, windowSeconds] }));
    } catch (err) {
      this.warn(err as Error);
      return 0;
    }
    return row ? secondsToWait(row, limit) : 0;
  }

  /** Forgets windows that have ended (any instance may; they are equivalent). */
  async sweep(): Promise<void> {
    await this.db.query(`DELETE FROM rate_limit_counters WHERE window_ends < now()`);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep().catch((err: Error) => this.warn(err)), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private warn(err: Error): void {
    if (Date.now() - this.lastWarning < 60_000) return;
    this.lastWarning = Date.now();
    this.logger.warn(`rate-limit counters unavailable (${err.name}): requests are not limited meanwhile`);
  }
}
