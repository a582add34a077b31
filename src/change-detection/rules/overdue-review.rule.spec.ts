import { describe, expect, it } from '@jest/globals';
import { settings, treatment } from '../testing/fixtures';
import type { OverdueCandidate, TreatmentPoint } from '../types';
import { overdueReviewRule } from './overdue-review.rule';

const candidate = (lastEvaluatedOn: string | null, overrides: Partial<OverdueCandidate> = {}): OverdueCandidate => ({
  depositId: 'dep-1',
  label: 'R index pulp',
  status: 'active',
  lastEvaluatedOn,
  ...overrides,
});

const run = (input: OverdueCandidate, today: string, treatments: TreatmentPoint[] = []) =>
  overdueReviewRule(input, { today, treatments, settingsVersion: 3 }, settings());

describe('OVERDUE_REVIEW', () => {
  it.each<{ story: string; deposit: OverdueCandidate; today: string; treatments?: TreatmentPoint[]; fires: boolean }>([
    { story: 'a deposit last seen 12 months ago is due today', deposit: candidate('2024-01-10'), today: '2025-01-10', fires: true },
    { story: 'a day short of 12 months is not yet overdue', deposit: candidate('2024-01-10'), today: '2025-01-09', fires: false },
    {
      story: 'on colchicine for this deposit, 6 months without review is overdue',
      deposit: candidate('2024-07-10'),
      today: '2025-01-10',
      treatments: [treatment('colchicine', '2024-05-01', { depositId: 'dep-1' })],
      fires: true,
    },
    {
      story: 'a patient-wide systemic drug shortens the interval too',
      deposit: candidate('2024-07-10'),
      today: '2025-01-10',
      treatments: [treatment('diltiazem', '2024-05-01')],
      fires: true,
    },
    {
      story: 'a drug for another deposit does not shorten this one’s interval',
      deposit: candidate('2024-07-10'),
      today: '2025-01-10',
      treatments: [treatment('colchicine', '2024-05-01', { depositId: 'dep-2' })],
      fires: false,
    },
    {
      story: 'watchful waiting (tier 0) keeps the 12-month interval',
      deposit: candidate('2024-07-10'),
      today: '2025-01-10',
      treatments: [treatment('watchful-waiting', '2024-05-01')],
      fires: false,
    },
    { story: 'a resolved deposit needs no review', deposit: candidate('2020-01-10', { status: 'resolved' }), today: '2025-01-10', fires: false },
    { story: 'an excised deposit needs no review', deposit: candidate('2020-01-10', { status: 'excised' }), today: '2025-01-10', fires: false },
    { story: 'a deposit never evaluated has nothing to count from', deposit: candidate(null), today: '2025-01-10', fires: false },
  ])('$story', ({ deposit: input, today, treatments, fires }) => {
    expect(run(input, today, treatments) !== null).toBe(fires);
  });

  it('is info, says when the review was due and keeps the current tier', () => {
    const finding = run(candidate('2024-07-10'), '2025-02-01', [treatment('colchicine', '2024-05-01', { depositId: 'dep-1' })]);
    expect(finding).toMatchObject({ rule: 'OVERDUE_REVIEW', severity: 'info', depositId: 'dep-1' });
    expect(finding?.message).toBe(
      'R index pulp has not been evaluated since 2024-07-10; a review was due by 2025-01-10 (every 6 months while on treatment)',
    );
    expect(finding?.evidence).toMatchObject({ dueOn: '2025-01-10', overdueMonths: 6, onTreatment: true, tier: 1, settingsVersion: 3 });
    expect(finding?.suggestedAction).toMatchObject({ currentTier: 1, suggestedTier: 1 });
  });
});
