import { describe, expect, it } from '@jest/globals';
import { IDS, reportFixture } from '../testing/report-fixture';
import { parseCsv } from '../../common/csv/parse-csv';
import { REPORT_CSV_HEADER, reportCsvRows, toReportCsv } from './report-csv';

function rowsOf(csv: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(csv.replace(/^\uFEFF/, ''));
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

describe('the report CSV: one row per evaluation', () => {
  it('starts with a byte order mark and a header, ends each record with CRLF, and has one row per evaluation', () => {
    const csv = toReportCsv(reportFixture());
    expect(csv.startsWith('\uFEFFpatient_mrn,patient_name,deposit_label,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const records = parseCsv(csv.slice(1));
    expect(records).toHaveLength(1 + 6);
    expect(new Set(records.map((r) => r.length))).toEqual(new Set([REPORT_CSV_HEADER.length]));
  });

  it('R index pulp 10 → 9 (amended) → 13 mm: each row compares with the baseline and nadir as they stood at that visit', () => {
    const pulp = rowsOf(toReportCsv(reportFixture())).filter((r) => r.deposit_id === IDS.pulp);
    expect(pulp.map((r) => [r.visit_date, r.longest_diameter_mm, r.baseline_mm, r.change_since_baseline_mm, r.nadir_mm, r.change_since_nadir_mm, r.change_since_nadir_percent])).toEqual([
      ['2025-01-10', '10', '10', '0', '10', '0', '0'],
      ['2025-04-12', '9', '10', '-1', '9', '0', '0'],
      ['2025-07-15', '13', '10', '3', '9', '4', '44.4'],
    ]);
    expect(pulp[0]).toMatchObject({ area_mm2: '62.83', volume_mm3: '251.33', pain_score: '2', version: '1', amendment_reason: '' });
    expect(pulp[1]).toMatchObject({ version: '2', amendment_reason: 'transcription error: 9 mm, not 8 mm' });
    expect(pulp[2]).toMatchObject({ ulcerated: 'true', drainage: 'chalky', notes: 'chalky discharge, line 1\nline 2' });
  });

  it('L olecranon by X-ray, CT, then ultrasound: the ultrasound row is its own baseline, never compared with the X-ray', () => {
    const elbow = rowsOf(toReportCsv(reportFixture())).filter((r) => r.deposit_id === IDS.elbow);
    expect(elbow.map((r) => [r.method, r.method_class, r.baseline_date, r.nadir_mm, r.change_since_nadir_mm])).toEqual([
      ['xray', 'radiographic', '2025-01-10', '15', '0'],
      ['ct', 'radiographic', '2025-01-10', '14', '0'],
      ['ultrasound', 'ultrasound', '2025-07-15', '12', '0'],
    ]);
  });

  it('neutralises formula-like labels and names, so a spreadsheet shows them as text', () => {
    const report = reportFixture();
    report.patient.name = '@SUM(1)';
    report.deposits[0].label = '=HYPERLINK("http://x")';
    const rows = rowsOf(toReportCsv(report));
    expect(rows[0].patient_name).toBe("'@SUM(1)");
    expect(rows[0].deposit_label).toBe(`'=HYPERLINK("http://x")`);
    expect(toReportCsv(report)).toContain(`"'=HYPERLINK(""http://x"")"`);
  });

  it('a patient without deposits gives the header alone', () => {
    const csv = toReportCsv(reportFixture({ deposits: [] }));
    expect(parseCsv(csv.slice(1))).toEqual([[...REPORT_CSV_HEADER]]);
    expect(reportCsvRows(reportFixture({ deposits: [] }))).toEqual([]);
  });
});
