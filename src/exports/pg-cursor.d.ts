// pg-cursor ships no types; this is the part of its API the export uses.
declare module 'pg-cursor' {
  import type { Connection, CustomTypesConfig, Submittable } from 'pg';

  interface CursorConfig {
    rowMode?: 'array';
    types?: CustomTypesConfig;
  }

  class Cursor<Row = unknown[]> implements Submittable {
    constructor(text: string, values?: unknown[], config?: CursorConfig);
    submit(connection: Connection): void;
    /** Fetches up to `rows` rows; fewer (or none) means the result is exhausted. */
    read(rows: number, callback: (err: Error | undefined, rows: Row[]) => void): void;
    /** Closes the portal (Close + Sync); the callback runs once the server is ready again. */
    close(callback: (err?: Error) => void): void;
    on(event: 'error', listener: (err: Error) => void): this;
  }

  export default Cursor;
}
