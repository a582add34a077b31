import { describe, expect, it } from '@jest/globals';
import { context, deposit, evaluation, settings } from '../testing/fixtures';
import type { RuleSettings } from '../types';
import { painIncreaseRule } from './pain-increase.rule';

const run = (from: number | null | undefined, to: number | null | undefined, overrides: Partial<RuleSettings> = {}) =>
  painIncreaseRule(
    deposit([evaluation('2025-03-01', 10, { painScore: from }), evaluation('2025-06-01', 10, { painScore: to })]),
    context('2025-06-01'),
    settings(overrides),
  );

describe('PAIN_INCREASE', () => {
  it.each<{ story: string; from: number | null | undefined; to: number | null | undefined; settings?: Partial<RuleSettings>; fires: boolean }>([
    { story: 'pain 3→5 (+2 points, +66 %) fires at the points threshold', from: 3, to: 5, fires: true },
    { story: 'pain 3→4 is only +1 point: quiet', from: 3, to: 4, fires: false },
    { story: 'pain 8→10 is +2 points but only +25 %: quiet', from: 8, to: 10, fires: false },
    { story: 'pain 6→8 is +2 points and +33 %: fires', from: 6, to: 8, fires: true },
    { story: 'pain from 0 to 2 counts on points alone', from: 0, to: 2, fires: true },
    { story: 'pain from 0 to 1 stays quiet', from: 0, to: 1, fires: false },
    { story: 'pain that eased 6→2 stays quiet', from: 6, to: 2, fires: false },
    { story: 'pain 5→6.5 (+1.5 points, +30 %) stays quiet by default', from: 5, to: 6.5, fires: false },
    { story: 'pain 5→6.5 fires when the clinic accepts 1.5 points', from: 5, to: 6.5, settings: { painIncreasePoints: 1.5 }, fires: true },
    { story: 'no pain score at the previous visit stays quiet', from: null, to: 7, fires: false },
    { story: 'no pain score now stays quiet', from: 2, to: undefined, fires: false },
    { story: 'a score of 11 is off the 0–10 scale: quiet', from: 2, to: 11, fires: false },
  ])('$story', ({ from, to, settings: overrides, fires }) => {
    expect(run(from, to, overrides) !== null).toBe(fires);
  });

  it.each([
    ['an empty history', deposit([])],
    ['a first evaluation', deposit([evaluation('2025-06-01', 10, { painScore: 9 })])],
  ])('stays quiet for %s', (_story, input) => {
    expect(painIncreaseRule(input, context('2025-06-01'), settings())).toBeNull();
  });

  it('is a warning naming both scores and the change', () => {
    const finding = run(3, 6);
    expect(finding).toMatchObject({ rule: 'PAIN_INCREASE', severity: 'warning' });
    expect(finding?.message).toBe('Pain at R index pulp rose from 3 to 6 (+3 points, +100 %) between 2025-03-01 and 2025-06-01');
    expect(finding?.evidence).toMatchObject({ referenceKind: 'previous', painFrom: 3, painTo: 6, changePoints: 3, changePercent: 100 });
  });

  it('says a rise from no pain without a percent', () => {
    expect(run(0, 3)?.message).toBe('Pain at R index pulp rose from 0 to 3 (+3 points) between 2025-03-01 and 2025-06-01');
  });
});
