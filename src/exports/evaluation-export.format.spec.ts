import { describe, expect, it } from '@jest/globals';
import { CSV_BOM } from '../common/csv/csv';
import { EXPORT_COLUMN_NAMES, hundredthsText, SOURCE_COLUMNS } from './evaluation-export.columns';
import { round } from '../visits/measurement.util';
import { CHUNK_CHARS, csvFormatter, type ExportFormatter, ndjsonFormatter, type SourceRow } from './evaluation-export.format';
import { evaluationExportQuery } from './evaluation-export.query';
import { parseCsv } from '../common/csv/parse-csv';

/** A row as PostgreSQL sends it (text of each source column), from the fields a story cares about. */
function sourceRow(fields: Record<string, string | null> = {}): SourceRow {
  const base: Record<string, string | null> = {
    evaluationId: '00000000-0000-4000-8000-000000000001',
    version: '1',
    patientId: '00000000-0000-4000-8000-000000000002',
    mrn: 'MRN-1',
    depositId: '00000000-0000-4000-8000-000000000003',
    depositLabel: 'R index pulp',
    site: 'finger',
    siteDetail: null,
    laterality: 'right',
    visitId: '00000000-0000-4000-8000-000000000004',
    visitDate: '2024-03-01',
    method: 'caliper',
    longestDiameterMm: '8',
    perpendicularDiameterMm: null,
    depthMm: null,
    shape: null,
    margin: null,
    landmark: null,
    xMm: null,
    yMm: null,
    mobility: null,
    ulcerated: 'f',
    infectionSigns: 'f',
    inflammation: 'f',
    nerveCompression: 'f',
    drainage: 'none',
    painScore: null,
    notes: null,
    recordedAt: '2024-03-01T10:00:00.000Z',
  };
  const merged = { ...base, ...fields };
  return SOURCE_COLUMNS.map((c) => merged[c.name] ?? null);
}

/** The chunks a formatter emits for one batch. */
function collect(formatter: ExportFormatter, batch: SourceRow[]): string[] {
  const chunks: string[] = [];
  formatter.rows(batch, (chunk) => chunks.push(chunk));
  return chunks;
}

/** One CSV record (no line break inside), read by the shared strict RFC 4180 reader. */
function csvCells(line: string): string[] {
  return parseCsv(line)[0] ?? [''];
}

function csvRecord(fields: Record<string, string | null>): Record<string, string> {
  const line = collect(csvFormatter(), [sourceRow(fields)]).join('');
  expect(line.endsWith('\r\n')).toBe(true);
  const cells = csvCells(line.slice(0, -2));
  expect(cells).toHaveLength(EXPORT_COLUMN_NAMES.length);
  return Object.fromEntries(EXPORT_COLUMN_NAMES.map((name, i) => [name, cells[i]]));
}

function jsonRecord(fields: Record<string, string | null>): Record<string, unknown> {
  const line = collect(ndjsonFormatter(), [sourceRow(fields)]).join('');
  expect(line.endsWith('\n')).toBe(true);
  expect(line.slice(0, -1)).not.toContain('\n');
  return JSON.parse(line) as Record<string, unknown>;
}

describe('the evaluation export, CSV', () => {
  it('opens with the BOM and a header row naming every column', () => {
    const { prefix } = csvFormatter();
    expect(prefix.startsWith(CSV_BOM)).toBe(true);
    expect(prefix).toBe(`${CSV_BOM}${EXPORT_COLUMN_NAMES.join(',')}\r\n`);
  });

  it.each([
    ['a formula in the notes is neutralised', { notes: '=HYPERLINK("http://x")' }, 'notes', `'=HYPERLINK("http://x")`],
    ['a leading @ in a label is neutralised', { depositLabel: '@SUM(A1)' }, 'depositLabel', `'@SUM(A1)`],
    ['a comma in a landmark is kept inside quotes', { landmark: 'distal, volar' }, 'landmark', 'distal, volar'],
    ['a negative offset stays a number', { xMm: '-3.5' }, 'xMm', '-3.5'],
    ['a non-finite number is left empty', { yMm: 'NaN' }, 'yMm', ''],
    ['infinity is left empty', { depthMm: 'Infinity' }, 'depthMm', ''],
    ['a boolean is spelled', { ulcerated: 't' }, 'ulcerated', 'true'],
    ['a missing value is empty', { painScore: null }, 'painScore', ''],
    ['accented text passes as is', { mrn: 'Ève-01' }, 'mrn', 'Ève-01'],
  ])('%s', (_story, fields, column, expected) => {
    expect(csvRecord(fields)[column]).toBe(expected);
  });

  it('keeps a line break inside a quoted cell, so the row count is counted by records, not lines', () => {
    const out = collect(csvFormatter(), [sourceRow({ notes: 'two\nlines' })]).join('');
    expect(out).toContain('"two\nlines"');
  });

  it('derives area and volume with the API\'s rounding, only where measured', () => {
    expect(csvRecord({ longestDiameterMm: '10', perpendicularDiameterMm: '4' })).toMatchObject({ areaMm2: '31.42', volumeMm3: '' });
    expect(csvRecord({ longestDiameterMm: '10', perpendicularDiameterMm: '4', depthMm: '2' })).toMatchObject({ areaMm2: '31.42', volumeMm3: '41.89' });
    expect(csvRecord({ longestDiameterMm: '10' })).toMatchObject({ areaMm2: '', volumeMm3: '' });
  });

  it('writes one line per row, in order', () => {
    const out = collect(csvFormatter(), [sourceRow({ mrn: 'A' }), sourceRow({ mrn: 'B' }), sourceRow({ mrn: 'C' })]);
    expect(out).toHaveLength(1);
    expect(out[0].split('\r\n').filter(Boolean).map((line) => csvCells(line)[3])).toEqual(['A', 'B', 'C']);
  });

  it('cuts a large batch into chunks of whole lines, about CHUNK_CHARS each', () => {
    const batch = Array.from({ length: 2000 }, (_, i) => sourceRow({ mrn: `MRN-${i}` }));
    const chunks = collect(csvFormatter(), batch);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.endsWith('\r\n')).toBe(true);
      expect(chunk.length).toBeLessThan(CHUNK_CHARS + 1000);
    }
    expect(chunks.join('').split('\r\n').filter(Boolean).map((line) => csvCells(line)[3])).toEqual(batch.map((_, i) => `MRN-${i}`));
  });
});

describe('the evaluation export, NDJSON', () => {
  it('has no prefix: every line is a record', () => {
    expect(ndjsonFormatter().prefix).toBe('');
  });

  it('writes camelCase keys in column order, with typed values', () => {
    const record = jsonRecord({ longestDiameterMm: '12.5', perpendicularDiameterMm: '4', painScore: '3', inflammation: 't', xMm: '-1' });
    expect(Object.keys(record)).toEqual(EXPORT_COLUMN_NAMES);
    expect(record).toMatchObject({ version: 1, longestDiameterMm: 12.5, perpendicularDiameterMm: 4, areaMm2: 39.27, painScore: 3, inflammation: true, ulcerated: false, xMm: -1, notes: null });
  });

  it.each([
    ['quotes and backslashes are escaped', 'the "R" pulp \\ 2', 'the "R" pulp \\ 2'],
    ['a line break stays inside its string', 'two\nlines', 'two\nlines'],
    ['a formula is data, not neutralised', '=1+1', '=1+1'],
    ['unicode passes through', 'Ève ✓', 'Ève ✓'],
  ])('%s', (_story, notes, expected) => {
    expect(jsonRecord({ notes }).notes).toBe(expected);
  });

  it('turns a non-finite number into null', () => {
    expect(jsonRecord({ depthMm: '-Infinity', yMm: 'NaN' })).toMatchObject({ depthMm: null, yMm: null });
  });
});

describe('hundredths written without String()', () => {
  it.each([
    ['a whole number', 10, '10'],
    ['one decimal', 31.4, '31.4'],
    ['two decimals', 31.42, '31.42'],
    ['a small value', 0.01, '0.01'],
    ['zero', 0, '0'],
    ['negative zero', -0, '0'],
    ['a negative value', -2.5, '-2.5'],
  ])('%s', (_story, value, expected) => {
    expect(hundredthsText(value)).toBe(expected);
  });

  it('matches String() for every value rounded the way area and volume are', () => {
    const mismatches: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      const value = round((Math.PI / 4) * (0.1 + (i % 997) / 7) * (0.1 + (i % 311) / 3), 2);
      if (hundredthsText(value) !== String(value)) mismatches.push(`${value}`);
    }
    for (const value of [1e14 + 0.25, 123456789.01, 0.005, 1.005]) {
      const rounded = round(value, 2);
      if (hundredthsText(rounded) !== String(rounded)) mismatches.push(`${rounded}`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('the export query', () => {
  it('always filters on the clinic, and adds the date bounds as parameters', () => {
    expect(evaluationExportQuery({ clinicId: 'c' })).toMatchObject({ values: ['c'] });
    const q = evaluationExportQuery({ clinicId: 'c', from: '2024-01-01', to: '2024-12-31' });
    expect(q.values).toEqual(['c', '2024-01-01', '2024-12-31']);
    expect(q.text).toContain('e.clinic_id = $1');
    expect(q.text).toContain('e.visit_date >= $2::date');
    expect(q.text).toContain('e.visit_date <= $3::date');
    expect(evaluationExportQuery({ clinicId: 'c', to: '2024-12-31' }).text).toContain('e.visit_date <= $2::date');
  });

  it('orders by the deposit index, so rows stream without a sort', () => {
    expect(evaluationExportQuery({ clinicId: 'c' }).text).toMatch(/ORDER BY e\.deposit_id, e\.visit_date, e\.seq$/);
  });
});
