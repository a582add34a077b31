import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { EvidenceTable, show } from './EvidenceSummary';

describe("an alert's evidence, as recorded", () => {
  it('shows a nested record as its summary and key-value pairs, and a list joined, never raw JSON', () => {
    render(
      <EvidenceTable
        evidence={{ failed: ['growth'], tier: 2, growth: { referenceKind: 'nadir', referenceMm: 31, referenceDate: '2026-02-01', currentMm: 46, currentDate: '2026-11-01', changeMm: 15 }, thresholds: { growthMm: 5 } }}
      />,
    );
    expect(screen.getByText('failed').nextSibling).toHaveTextContent(/^growth$/);
    const growth = screen.getByText('growth', { selector: 'dt' }).nextSibling!;
    expect(growth).toHaveTextContent('nadir 31 mm (2026-02-01) → 46 mm (2026-11-01); +15 mm (referenceKind nadir, referenceMm 31,');
    expect(growth.textContent).not.toContain('{');
    expect(screen.getByText('thresholds').nextSibling).toHaveTextContent('growthMm 5');
    expect(show(null)).toBe('—');
  });
});
