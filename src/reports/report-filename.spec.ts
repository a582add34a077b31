import { describe, expect, it } from '@jest/globals';
import { attachmentDisposition, reportFilename } from './report-filename';

const id = '00000000-0000-4000-8000-000000000001';

describe('the report file name', () => {
  it.each([
    ['a plain MRN is kept', 'DEMO-0001', 'calcitrack-report-DEMO-0001-2025-07-10.pdf'],
    ['slashes, spaces and quotes become underscores', 'A/B "12" 3', 'calcitrack-report-A_B_12_3-2025-07-10.pdf'],
    ['accents are dropped', 'Müller-7', 'calcitrack-report-Muller-7-2025-07-10.pdf'],
    ['an MRN with nothing usable falls back on the patient id', '../"', `calcitrack-report-${id}-2025-07-10.pdf`],
    ['a formula-like MRN loses its leading sign', '=1+2', 'calcitrack-report-1_2-2025-07-10.pdf'],
  ])('%s', (_story, mrn, expected) => {
    expect(reportFilename({ id, mrn }, '2025-07-10', 'pdf')).toBe(expected);
  });

  it('is an attachment header', () => {
    expect(attachmentDisposition('calcitrack-report-X-2025-07-10.csv')).toBe('attachment; filename="calcitrack-report-X-2025-07-10.csv"');
  });
});
