import { describe, expect, it } from '@jest/globals';
import { treatment } from './testing/fixtures';
import { currentTier, describeTier, tierOfKind, TREATMENT_KINDS, type CurrentTier } from './tiers';
import type { TreatmentPoint } from './types';

describe('tierOfKind', () => {
  it.each([
    ['watchful-waiting', 0],
    ['prevention', 0],
    ['dietary-change', 0],
    ['topical-corticosteroid', 1],
    ['intralesional-corticosteroid', 1],
    ['topical-sodium-thiosulfate', 1],
    ['colchicine', 1],
    ['minocycline', 1],
    ['oral-corticosteroid', 2],
    ['diltiazem', 2],
    ['bisphosphonate', 2],
    ['intralesional-sodium-thiosulfate', 2],
    ['iv-sodium-thiosulfate', 2],
    ['warfarin', 2],
    ['ivig', 2],
    ['rituximab', 2],
    ['other-immunosuppressant', 2],
    ['lithotripsy', 3],
    ['test-excision', 4],
    ['surgical-excision', 4],
    ['analgesic', null],
    ['anti-inflammatory', null],
    ['antibiotic', null],
    ['an unknown kind', null],
  ])('%s sits on tier %p', (kind, tier) => {
    expect(tierOfKind(kind)).toBe(tier);
  });

  it('lists every kind of the ladder and the supportive ones exactly once', () => {
    expect(TREATMENT_KINDS).toHaveLength(23);
    expect(new Set(TREATMENT_KINDS).size).toBe(23);
  });

  it('names tiers in words', () => {
    expect(describeTier(2)).toBe('tier 2 (systemic therapy)');
    expect(describeTier(9)).toBe('tier 9');
  });
});

describe('currentTier', () => {
  const onDeposit = (kind: string, startedOn: string, endedOn: string | null = null, depositId = 'dep-1') =>
    treatment(kind, startedOn, { depositId, endedOn });

  it.each<{ story: string; treatments: TreatmentPoint[]; date: string; depositId: string | null; expected: CurrentTier }>([
    { story: 'no treatment is tier 0 with no start', treatments: [], date: '2025-06-01', depositId: 'dep-1', expected: { tier: 0, since: null } },
    {
      story: 'watchful waiting is tier 0 since it began',
      treatments: [treatment('watchful-waiting', '2025-01-10')],
      date: '2025-06-01',
      depositId: 'dep-1',
      expected: { tier: 0, since: '2025-01-10' },
    },
    {
      story: 'colchicine running is tier 1',
      treatments: [onDeposit('colchicine', '2025-01-10')],
      date: '2025-06-01',
      depositId: 'dep-1',
      expected: { tier: 1, since: '2025-01-10' },
    },
    {
      story: 'a treatment starting on the visit day already counts',
      treatments: [onDeposit('colchicine', '2025-06-01')],
      date: '2025-06-01',
      depositId: 'dep-1',
      expected: { tier: 1, since: '2025-06-01' },
    },
    {
      story: 'a treatment starting after the visit does not count',
      treatments: [onDeposit('colchicine', '2025-06-02')],
      date: '2025-06-01',
      depositId: 'dep-1',
      expected: { tier: 0, since: null },
    },
    {
      story: 'a drug ending on the visit day still counts',
      treatments: [onDeposit('diltiazem', '2025-01-10', '2025-06-01')],
      date: '2025-06-01',
      depositId: 'dep-1',
      expected: { tier: 2, since: '2025-01-10' },
    },
    {
      story: 'a drug that ended the day before has no tail',
      treatments: [onDeposit('diltiazem', '2025-01-10', '2025-05-31')],
      date: '2025-06-01',
      depositId: 'dep-1',
      expected: { tier: 0, since: null },
    },
    {
      story: 'lithotripsy keeps counting on the 30th day after it ended',
      treatments: [onDeposit('lithotripsy', '2025-05-01', '2025-05-02')],
      date: '2025-06-01',
      depositId: 'dep-1',
      expected: { tier: 3, since: '2025-05-01' },
    },
    {
      story: 'lithotripsy stops counting on the 31st day after it ended',
      treatments: [onDeposit('lithotripsy', '2025-05-01', '2025-05-01')],
      date: '2025-06-01',
      depositId: 'dep-1',
      expected: { tier: 0, since: null },
    },
    {
      story: 'a surgical excision counts for 30 days after it ended',
      treatments: [onDeposit('surgical-excision', '2025-05-15', '2025-05-15')],
      date: '2025-06-14',
      depositId: 'dep-1',
      expected: { tier: 4, since: '2025-05-15' },
    },
    {
      story: 'the highest running tier wins over a lower one',
      treatments: [onDeposit('colchicine', '2024-06-01'), treatment('rituximab', '2025-02-01')],
      date: '2025-06-01',
      depositId: 'dep-1',
      expected: { tier: 2, since: '2025-02-01' },
    },
    {
      story: 'the tier starts with the earliest running treatment of that tier',
      treatments: [treatment('diltiazem', '2025-03-01'), onDeposit('bisphosphonate', '2024-11-01')],
      date: '2025-06-01',
      depositId: 'dep-1',
      expected: { tier: 2, since: '2024-11-01' },
    },
    {
      story: 'a treatment aimed at another deposit does not count for this one',
      treatments: [onDeposit('lithotripsy', '2025-05-01', null, 'dep-2')],
      date: '2025-06-01',
      depositId: 'dep-1',
      expected: { tier: 0, since: null },
    },
    {
      story: 'the patient-wide tier considers treatments aimed at any deposit',
      treatments: [onDeposit('lithotripsy', '2025-05-01', null, 'dep-2')],
      date: '2025-06-01',
      depositId: null,
      expected: { tier: 3, since: '2025-05-01' },
    },
    {
      story: 'supportive analgesics are not a rung',
      treatments: [treatment('analgesic', '2025-01-10'), treatment('antibiotic', '2025-05-01')],
      date: '2025-06-01',
      depositId: 'dep-1',
      expected: { tier: 0, since: null },
    },
  ])('$story', ({ treatments, date, depositId, expected }) => {
    expect(currentTier(treatments, date, depositId)).toEqual(expected);
  });
});
