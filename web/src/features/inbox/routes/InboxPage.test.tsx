import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../../App';
import { mockApi, PHYSICIAN, renderWithProviders, tokens } from '../../../test/render';

const alert = (over: Record<string, unknown>) => ({
  id: '00000000-0000-4000-8000-00000000a001',
  patientId: '00000000-0000-4000-8000-000000000200',
  depositId: '00000000-0000-4000-8000-000000000101',
  rule: 'DEPOSIT_GROWTH',
  severity: 'high',
  status: 'open',
  message: 'L hip tumoral mass grew from 30 mm (nadir, 2025-09-01) to 46 mm (+16 mm, +53 %) by ultrasound',
  evidence: { referenceKind: 'nadir', referenceMm: 30, referenceDate: '2025-09-01', currentMm: 46, currentDate: '2026-11-01', changeMm: 16, changePercent: 53.33 },
  suggestedAction: { currentTier: 2, suggestedTier: 3, text: 'Consider tier 3.' },
  settingsVersion: 1,
  version: 1,
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-01T10:00:00.000Z',
  acknowledgedBy: null,
  acknowledgedAt: null,
  decision: null,
  note: null,
  resolvedBy: null,
  resolvedAt: null,
  patientMrn: 'DEMO-0002',
  patientName: 'Jonas Demo',
  depositLabel: 'L hip tumoral mass',
  ...over,
});

describe("the physician's inbox", () => {
  it('lists alerts in the order the API gives (most severe first) with patient, deposit, message and evidence', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': () => ({ body: tokens(PHYSICIAN) }),
      'GET /api/v1/alerts': () => ({ body: { items: [alert({}), alert({ id: '00000000-0000-4000-8000-00000000a002', severity: 'info', rule: 'OVERDUE_REVIEW', message: 'L olecranon has not been evaluated since 2026-05-01', evidence: {}, patientName: 'Maria Demo', patientMrn: 'DEMO-0001', depositLabel: 'L olecranon' })], nextCursor: null } }),
    });
    renderWithProviders(<App />, { route: '/inbox' });
    const list = await screen.findByRole('list', { name: 'Alerts' });
    const items = await within(list).findAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('High');
    expect(within(items[0]).getByRole('link', { name: 'Deposit growth: Jonas Demo, L hip tumoral mass' })).toHaveAttribute('href', '/alerts/00000000-0000-4000-8000-00000000a001');
    expect(items[0]).toHaveTextContent('Jonas Demo (MRN DEMO-0002)');
    expect(items[0]).toHaveTextContent('Evidence: nadir 30 mm (2025-09-01) → 46 mm (2026-11-01); +16 mm (+53.33 %)');
    expect(items[1]).toHaveTextContent('Info');
  });

  it("filters by the API's query parameters: status, severity, rule and mine", async () => {
    const { calls } = mockApi({
      'POST /api/v1/auth/refresh': () => ({ body: tokens(PHYSICIAN) }),
      'GET /api/v1/alerts': () => ({ body: { items: [], nextCursor: null } }),
    });
    renderWithProviders(<App />, { route: '/inbox' });
    await screen.findByText('No alerts match these filters.');
    await userEvent.selectOptions(screen.getByLabelText('Rule'), 'Deposit growth');
    await userEvent.click(screen.getByLabelText('Urgent'));
    await userEvent.click(screen.getByLabelText('High'));
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'Open');
    await userEvent.click(screen.getByLabelText('Only my patients'));
    await waitFor(() => {
      const last = new URLSearchParams(calls.filter((c) => c.path === '/api/v1/alerts').at(-1)!.search);
      expect(Object.fromEntries(last)).toMatchObject({ rule: 'DEPOSIT_GROWTH', severity: 'urgent,high', status: 'open', mine: 'true' });
    });
  });
});
