import { describe, expect, it } from '@jest/globals';
import { PDFParse } from 'pdf-parse';
import { reportFixture } from '../testing/report-fixture';
import { renderReportPdf } from './report-pdf.renderer';

async function textOf(pdf: Buffer): Promise<{ text: string; pages: number; pageTexts: string[] }> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const result = await parser.getText();
    return { text: result.text, pages: result.total, pageTexts: result.pages.map((p) => p.text) };
  } finally {
    await parser.destroy();
  }
}

describe('the printable PDF report', () => {
  it('is a PDF whose text names the patient, the MRN and every deposit', async () => {
    const pdf = await renderReportPdf(reportFixture());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { text } = await textOf(pdf);
    for (const needle of ['Ada Example', 'MRN-0001', 'R index pulp', 'L olecranon', 'Treatments', 'Alerts and decisions', 'Re-check in 3 months.']) expect(text).toContain(needle);
  });

  it('shows characters the built-in fonts cannot encode as readable replacements', async () => {
    const report = reportFixture();
    report.patient.name = 'Zoë Dvořák';
    report.deposits[0].label = 'R pulp ≥ 2 cm';
    const { text } = await textOf(await renderReportPdf(report));
    expect(text).toContain('Zoë Dvorák');
    expect(text).toContain('R pulp >= 2 cm');
  });

  it('a long history flows over several pages, every deposit named, no chart split from its heading or cut by a page break', async () => {
    const base = reportFixture();
    const deposits = Array.from({ length: 9 }, (_, i) => ({ ...base.deposits[i % 2], id: `00000000-0000-4000-8000-0000000009${String(i).padStart(2, '0')}`, label: `Deposit number ${i + 1}` }));
    const { text, pages, pageTexts } = await textOf(await renderReportPdf({ ...base, deposits }));
    expect(pages).toBeGreaterThan(3);
    for (const d of deposits) expect(text).toContain(d.label);
    expect(text).toContain(`page ${pages} of ${pages}`);
    // a chart ends with its legend: each page holds as many legends as deposit headings
    const perPage = pageTexts.map((page) => [(page.match(/^\d+\. Deposit number \d+$/gm) ?? []).length, (page.match(/Longest diameter by:/g) ?? []).length]);
    for (const [headings, legends] of perPage) expect(legends).toBe(headings);
    expect(perPage.reduce((n, [headings]) => n + headings, 0)).toBe(9);
  });
});
