import { isoTimestampSql } from '../database/iso-timestamp';
import { areaMm2, volumeMm3 } from '../visits/measurement.util';

/**
 * The columns of the clinic-wide evaluation export, in output order. One table drives the SQL
 * select list, the CSV header, the NDJSON keys and the OpenAPI description, so they cannot drift.
 *
 * Values arrive as PostgreSQL's text output (no type parsing: the export only re-emits them), so
 * each column says how its text is written:
 * - `plain`: uuids, dates, timestamps, and values a CHECK constraint keeps to a fixed set of words —
 *   never a comma, quote, backslash or formula character, so written as they are (quoted in JSON);
 * - `number`: float/int text; anything not finite (NaN, Infinity) becomes empty / null;
 * - `bool`: PostgreSQL's `t` / `f`;
 * - `text`: free or enumerated text — CSV quoting and formula neutralisation, JSON string escaping.
 * Derived columns (area, volume) are computed from the measured ones with the API's own helpers.
 */
export type ColumnKind = 'plain' | 'number' | 'bool' | 'text';

export interface SourceColumn {
  name: string;
  kind: ColumnKind;
  sql: string;
  description: string;
}

export interface DerivedColumn {
  name: string;
  kind: 'number';
  /** Given where each source column sits in a row, the function that computes this column's text. */
  derive: (indexOf: (name: string) => number) => (row: readonly (string | null)[]) => string | null;
  description: string;
}

export type ExportColumn = SourceColumn | DerivedColumn;

const num = (text: string | null): number | null => (text === null ? null : Number(text));

/**
 * The text `String(value)` gives for a value already rounded to hundredths (as area and volume
 * are), written without `String()`: V8 allocates number-to-string results in its old generation
 * (through its number-string cache), which made a million-row export leave ~45 MB of old-space
 * garbage behind; `toFixed` allocates young.
 */
export function hundredthsText(value: number): string {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e15) return String(value);
  const fixed = value.toFixed(2);
  if (fixed.endsWith('.00')) return fixed.slice(0, -3);
  return fixed.endsWith('0') ? fixed.slice(0, -1) : fixed;
}

export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  { name: 'evaluationId', kind: 'plain', sql: 'e.id', description: 'evaluation id (uuid)' },
  { name: 'version', kind: 'number', sql: 'e.version', description: 'current version of the evaluation (1 + number of amendments)' },
  { name: 'patientId', kind: 'plain', sql: 'e.patient_id', description: 'patient id (uuid)' },
  { name: 'mrn', kind: 'text', sql: 'p.mrn', description: "patient's medical record number" },
  { name: 'depositId', kind: 'plain', sql: 'e.deposit_id', description: 'deposit id (uuid)' },
  { name: 'depositLabel', kind: 'text', sql: 'd.label', description: 'deposit label, e.g. "R index pulp"' },
  { name: 'site', kind: 'text', sql: 'd.site', description: 'body region of the deposit' },
  { name: 'siteDetail', kind: 'text', sql: 'd.site_detail', description: 'free detail of the site' },
  { name: 'laterality', kind: 'plain', sql: 'd.laterality', description: 'left, right, bilateral, midline or not-applicable' },
  { name: 'visitId', kind: 'plain', sql: 'e.visit_id', description: 'visit id (uuid)' },
  { name: 'visitDate', kind: 'plain', sql: 'e.visit_date', description: 'visit date, YYYY-MM-DD' },
  { name: 'method', kind: 'plain', sql: 'e.method', description: 'measurement method' },
  { name: 'longestDiameterMm', kind: 'number', sql: 'e.longest_diameter_mm', description: 'longest diameter, mm' },
  { name: 'perpendicularDiameterMm', kind: 'number', sql: 'e.perpendicular_diameter_mm', description: 'perpendicular diameter, mm' },
  { name: 'depthMm', kind: 'number', sql: 'e.depth_mm', description: 'depth, mm' },
  {
    name: 'areaMm2',
    kind: 'number',
    derive: (at) => {
      const [a, b] = [at('longestDiameterMm'), at('perpendicularDiameterMm')];
      return (row) => {
        const area = row[b] === null ? null : areaMm2(Number(row[a]), num(row[b]));
        return area === null ? null : hundredthsText(area);
      };
    },
    description: 'derived area π/4·a·b, mm² (empty when not measured)',
  },
  {
    name: 'volumeMm3',
    kind: 'number',
    derive: (at) => {
      const [a, b, c] = [at('longestDiameterMm'), at('perpendicularDiameterMm'), at('depthMm')];
      return (row) => {
        const volume = row[b] === null || row[c] === null ? null : volumeMm3(Number(row[a]), num(row[b]), num(row[c]));
        return volume === null ? null : hundredthsText(volume);
      };
    },
    description: 'derived volume π/6·a·b·c, mm³ (empty when not measured)',
  },
  { name: 'shape', kind: 'plain', sql: 'e.shape', description: 'round, oval, irregular, lobulated, linear or sheet' },
  { name: 'margin', kind: 'plain', sql: 'e.margin', description: 'well-defined or ill-defined' },
  { name: 'landmark', kind: 'text', sql: 'e.landmark', description: 'anatomical landmark the position is measured from' },
  { name: 'xMm', kind: 'number', sql: 'e.x_mm', description: 'offset from the landmark, mm' },
  { name: 'yMm', kind: 'number', sql: 'e.y_mm', description: 'offset from the landmark, mm' },
  { name: 'mobility', kind: 'plain', sql: 'e.mobility', description: 'fixed or mobile' },
  { name: 'ulcerated', kind: 'bool', sql: 'e.ulcerated', description: 'true or false' },
  { name: 'infectionSigns', kind: 'bool', sql: 'e.infection_signs', description: 'true or false' },
  { name: 'inflammation', kind: 'bool', sql: 'e.inflammation', description: 'true or false' },
  { name: 'nerveCompression', kind: 'bool', sql: 'e.nerve_compression', description: 'true or false' },
  { name: 'drainage', kind: 'plain', sql: 'e.drainage', description: 'none, chalky, milky, purulent or serous' },
  { name: 'painScore', kind: 'number', sql: 'e.pain_score', description: 'pain, 0–10' },
  { name: 'notes', kind: 'text', sql: 'e.notes', description: 'free notes' },
  {
    name: 'recordedAt',
    kind: 'plain',
    sql: isoTimestampSql('e.recorded_at'),
    description: 'when the current version was recorded, ISO 8601 UTC',
  },
];

export const EXPORT_COLUMN_NAMES: readonly string[] = EXPORT_COLUMNS.map((c) => c.name);

export function isSourceColumn(column: ExportColumn): column is SourceColumn {
  return 'sql' in column;
}

/** The columns read from the database, in select-list order. */
export const SOURCE_COLUMNS: readonly SourceColumn[] = EXPORT_COLUMNS.filter(isSourceColumn);
