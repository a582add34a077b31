import { CSV_BOM, csvCell, csvRow } from '../common/csv/csv';
import { type ColumnKind, EXPORT_COLUMN_NAMES, EXPORT_COLUMNS, isSourceColumn, SOURCE_COLUMNS } from './evaluation-export.columns';

export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One row as the database sent it: the text of each source column, in select-list order. */
export type SourceRow = readonly (string | null)[];

export interface ExportFormatter {
  contentType: string;
  extension: string;
  /** What leaves before the first row: the BOM and the header row for CSV, nothing for NDJSON. */
  prefix: string;
  /** Writes one fetched batch of rows, handing each chunk of about CHUNK_CHARS to `emit` as soon as it is full. */
  rows(batch: readonly SourceRow[], emit: (chunk: string) => void): void;
}

/**
 * Output leaves in chunks of about 32k characters, each handed on as soon as it is full: every
 * string and Buffer stays a small young-generation object (a batch-sized one would be allocated in
 * V8's large-object space, freed only by full collections).
 */
export const CHUNK_CHARS = 32 * 1024;

function chunked(line: (row: SourceRow) => string): ExportFormatter['rows'] {
  return (batch, emit) => {
    let out = '';
    for (const row of batch) {
      out += line(row);
      if (out.length >= CHUNK_CHARS) {
        emit(out);
        out = '';
      }
    }
    if (out) emit(out);
  };
}

type Read = (row: SourceRow) => string | null;
type Write = (text: string | null) => string;

/** PostgreSQL spells non-finite floats NaN, Infinity, -Infinity: none ends with a digit. */
function isFiniteNumberText(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  return last >= 48 && last <= 57;
}

const CSV_WRITERS: Record<ColumnKind, Write> = {
  plain: (t) => t ?? '',
  number: (t) => (t === null || !isFiniteNumberText(t) ? '' : t),
  bool: (t) => (t === null ? '' : t === 't' ? 'true' : 'false'),
  text: (t) => csvCell(t),
};

const JSON_WRITERS: Record<ColumnKind, Write> = {
  plain: (t) => (t === null ? 'null' : `"${t}"`),
  number: (t) => (t === null || !isFiniteNumberText(t) ? 'null' : t),
  bool: (t) => (t === null ? 'null' : t === 't' ? 'true' : 'false'),
  text: (t) => (t === null ? 'null' : JSON.stringify(t)),
};

function readers(): Read[] {
  const indexOf = (name: string): number => {
    const i = SOURCE_COLUMNS.findIndex((c) => c.name === name);
    if (i < 0) throw new Error(`export column ${name} is not read from the database`);
    return i;
  };
  return EXPORT_COLUMNS.map((column): Read => {
    if (!isSourceColumn(column)) return column.derive(indexOf);
    const i = indexOf(column.name);
    return (row) => row[i];
  });
}

/** Builds each line by concatenation: no per-row arrays or objects, the export's hot path. */
function lineWriter(cells: ((row: SourceRow) => string)[], open: string, close: string): (row: SourceRow) => string {
  const n = cells.length;
  return (row) => {
    let line = open + cells[0](row);
    for (let i = 1; i < n; i++) line += cells[i](row);
    return line + close;
  };
}

export function csvFormatter(): ExportFormatter {
  const read = readers();
  const cells = EXPORT_COLUMNS.map((column, i) => {
    const write = CSV_WRITERS[column.kind];
    const r = read[i];
    return i === 0 ? (row: SourceRow) => write(r(row)) : (row: SourceRow) => `,${write(r(row))}`;
  });
  const line = lineWriter(cells, '', '\r\n');
  return {
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
    prefix: CSV_BOM + csvRow([...EXPORT_COLUMN_NAMES]),
    rows: chunked(line),
  };
}

export function ndjsonFormatter(): ExportFormatter {
  const read = readers();
  const cells = EXPORT_COLUMNS.map((column, i) => {
    const write = JSON_WRITERS[column.kind];
    const r = read[i];
    const key = `${i === 0 ? '' : ','}${JSON.stringify(column.name)}:`;
    return (row: SourceRow) => key + write(r(row));
  });
  const line = lineWriter(cells, '{', '}\n');
  return {
    contentType: 'application/x-ndjson; charset=utf-8',
    extension: 'ndjson',
    prefix: '',
    rows: chunked(line),
  };
}

export function exportFormatter(format: ExportFormat): ExportFormatter {
  return format === 'ndjson' ? ndjsonFormatter() : csvFormatter();
}
