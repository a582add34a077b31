import { describe, expect, it } from '@jest/globals';
import { addMonths } from '../date-utils';
import { context, deposit, evaluation, lastDate, settings } from '../testing/fixtures';
import type { EvaluationPoint, RuleSettings } from '../types';
import { painIncreaseRule } from './pain-increase.rule';

/** A score per quarterly visit from 2024-01-10 (null: the deposit was evaluated without a pain score). */
const scores = (...painScores: Array<number | null>): EvaluationPoint[] =>
  painScores.map((painScore, index) => evaluation(addMonths('2024-01-10', 3 * index), 10, { painScore }));

const quarter = (index: number) => addMonths('2024-01-10', 3 * index);

const run = (evaluations: EvaluationPoint[], overrides: Partial<RuleSettings> = {}, decidedOn: string | null = null) =>
  painIncreaseRule(deposit(evaluations, { decidedOn }), context(lastDate(evaluations)), settings(overrides));

interface Row {
  story: string;
  evaluations: EvaluationPoint[];
  settings?: Partial<RuleSettings>;
  /** the date of the record current at a physician's decision on the previous alert */
  decidedOn?: string;
  /** null: quiet; otherwise how it fired */
  fires: 'immediate' | 'confirmed' | null;
}

describe('PAIN_INCREASE with reading confirmation (the default)', () => {
  it.each<Row>([
    { story: 'a single +2 (1, 1, 1 then 3) is one reading past the threshold: quiet', evaluations: scores(1, 1, 1, 3), fires: null },
    { story: 'the second +2 in a row (1, 1, 1, 3, 3) confirms it: fires', evaluations: scores(1, 1, 1, 3, 3), fires: 'confirmed' },
    { story: 'a rise of 4 points and 200 % (2, 2 then 6) fires at once', evaluations: scores(2, 2, 6), fires: 'immediate' },
    { story: 'the immediate rise needs a single earlier reading (2 then 6)', evaluations: scores(2, 6), fires: 'immediate' },
    { story: 'a first reading of 9 has nothing to compare with: quiet', evaluations: scores(9), fires: null },
    { story: 'two readings (1 then 3) are too few to confirm an ordinary rise: quiet', evaluations: scores(1, 3), fires: null },
    { story: 'three readings (1, 3, 3) are enough: the pair against the one before it fires', evaluations: scores(1, 3, 3), fires: 'confirmed' },
    { story: 'a rise that came back down breaks the pair (1, 1, 1, 3, 1, 3): quiet', evaluations: scores(1, 1, 1, 3, 1, 3), fires: null },
    { story: 'a visit without a pain score neither confirms nor breaks the pair (1, 1, 1, 3, –, 3): fires', evaluations: scores(1, 1, 1, 3, null, 3), fires: 'confirmed' },
    { story: 'a visit without a pain score now keeps the rule quiet (1, 1, 1, 3, 3, –)', evaluations: scores(1, 1, 1, 3, 3, null), fires: null },
    { story: 'a score of 11 is off the 0–10 scale: quiet', evaluations: scores(1, 1, 1, 3, 11), fires: null },
    { story: 'the median of 1 and 5 is their mean, 3: 4 and then 4 is only +1 point, quiet', evaluations: scores(1, 5, 4, 4), fires: null },
    { story: 'the median of 1 and 4 is 2.5: 5 and then 5 (+2.5 points, +100 %) fires', evaluations: scores(1, 4, 5, 5), fires: 'confirmed' },
    { story: 'one outlier among earlier readings does not move the median (1, 9, 1, 1 then 3, 3): fires', evaluations: scores(1, 9, 1, 1, 3, 3), fires: 'confirmed' },
    { story: 'from no pain (0, 0, 0) any rise of 2 points counts: 2 and then 2 fires', evaluations: scores(0, 0, 0, 2, 2), fires: 'confirmed' },
    { story: 'from no pain a rise of 1 twice stays quiet', evaluations: scores(0, 0, 0, 1, 1), fires: null },
    { story: 'from no pain, 4 fires at once (no percent of 0)', evaluations: scores(0, 0, 4), fires: 'immediate' },
    { story: 'pain 8 → 10 twice is +2 points but only +25 %: quiet', evaluations: scores(8, 8, 8, 10, 10), fires: null },
    { story: 'pain that eased (6, 6, 6, 2, 2) stays quiet', evaluations: scores(6, 6, 6, 2, 2), fires: null },
    { story: 'a rise of 3 points (2, 2 then 5) is not immediate: quiet', evaluations: scores(2, 2, 5), fires: null },
    { story: 'the clinic fires at once from 3 points: 2, 2 then 5 fires', evaluations: scores(2, 2, 5), settings: { painHighPoints: 3 }, fires: 'immediate' },
    { story: 'the clinic asks 80 % for the immediate rise: 6, 6 then 10 (+66 %) stays quiet', evaluations: scores(6, 6, 10), settings: { painHighPercent: 80 }, fires: null },
    { story: 'readings of any method count: palpation then caliper', evaluations: [evaluation('2024-01-10', 10, { method: 'palpation', painScore: 2 }), evaluation('2024-04-10', 10, { painScore: 6 })], fires: 'immediate' },
    {
      story: 'two evaluations of one visit date are one reading, the last stored (1, then 6 and 1 on one day, then 3): quiet',
      evaluations: [
        evaluation('2024-01-10', 10, { painScore: 1 }),
        evaluation('2024-04-10', 10, { method: 'ultrasound', painScore: 6 }),
        evaluation('2024-04-10', 10, { painScore: 1 }),
        evaluation('2024-07-10', 10, { painScore: 3 }),
      ],
      fires: null,
    },
  ])('$story', ({ evaluations, settings: overrides, fires }) => {
    const finding = run(evaluations, overrides);
    expect(finding?.evidence.confirmation ?? null).toBe(fires);
  });

  it.each<Row>([
    { story: 'at the next reading after deciding on 1, 1, 1, 3, 3, another 3 stays quiet', evaluations: scores(1, 1, 1, 3, 3, 3), decidedOn: quarter(4), fires: null },
    { story: 'after deciding at pain 2, the next reading of 6 fires at once', evaluations: scores(1, 2, 6), decidedOn: quarter(1), fires: 'immediate' },
    { story: 'after deciding at pain 2, a first +2 (4) stays quiet', evaluations: scores(1, 2, 4), decidedOn: quarter(1), fires: null },
    { story: 'after deciding at pain 2, a second +2 in a row (4, 4) fires', evaluations: scores(1, 2, 4, 4), decidedOn: quarter(1), fires: 'confirmed' },
    { story: 'readings before the decision do not count: 1, 1, 1 | 3 (decided), 3, 3 stays quiet', evaluations: scores(1, 1, 1, 3, 3, 3), decidedOn: quarter(3), fires: null },
    {
      story: 'decided at a visit without a pain score: the reading current then (5) is the reference, so 9 fires at once',
      evaluations: scores(1, 1, 5, null, 9),
      decidedOn: quarter(3),
      fires: 'immediate',
    },
    {
      story: 'decided at a visit without a pain score: 5 again after the 5 current then stays quiet',
      evaluations: scores(1, 1, 5, null, 5),
      decidedOn: quarter(3),
      fires: null,
    },
  ])('re-firing after a decision: $story', ({ evaluations, decidedOn, fires }) => {
    expect(run(evaluations, {}, decidedOn ?? null)?.evidence.confirmation ?? null).toBe(fires);
  });

  it.each([
    ['an empty history', deposit([])],
    ['a first evaluation', deposit([evaluation('2025-06-01', 10, { painScore: 9 })])],
  ])('stays quiet for %s', (_story, input) => {
    expect(painIncreaseRule(input, context('2025-06-01'), settings())).toBeNull();
  });

  it('says a confirmed rise as a physician would, with the median, its readings and the confirming evaluations', () => {
    const finding = run(scores(0, 1, 2, 4, 5));
    expect(finding).toMatchObject({ rule: 'PAIN_INCREASE', severity: 'warning' });
    expect(finding?.message).toBe(
      'Pain at R index pulp 4 and then 5 at the last two visits (2024-10-10, 2025-01-10), against a median of 1 over the 3 readings before them (+3 and +4 points)',
    );
    expect(finding?.evidence).toMatchObject({
      referenceKind: 'median',
      referenceCount: 3,
      referenceEvaluationIds: ['caliper-2024-01-10', 'caliper-2024-04-10', 'caliper-2024-07-10'],
      confirmation: 'confirmed',
      confirmingEvaluationIds: ['caliper-2024-10-10', 'caliper-2025-01-10'],
      currentEvaluationId: 'caliper-2025-01-10',
      painFrom: 1,
      painTo: 5,
      changePoints: 4,
      changePercent: 400,
      thresholds: { painIncreasePoints: 2, painIncreasePercent: 30, painHighPoints: 4, painHighPercent: 50, readingConfirmation: true },
      settingsVersion: 3,
    });
  });

  it('says an immediate rise against one earlier reading', () => {
    expect(run(scores(2, 6))?.message).toBe('Pain at R index pulp 6 at the last visit (2024-04-10), against 2 on 2024-01-10, the one reading before it (+4 points, +200 %)');
    expect(run(scores(2, 2, 6))?.evidence).toMatchObject({ referenceKind: 'median', referenceCount: 2, confirmingEvaluationIds: ['caliper-2024-07-10'] });
  });

  it('names the dates when a visit without a score lies between the confirming readings', () => {
    expect(run(scores(1, 1, 1, 3, null, 3))?.message).toBe(
      'Pain at R index pulp 3 and then 3 on 2024-10-10 and 2025-04-10, against a median of 1 over the 3 readings before them (+2 and +2 points)',
    );
  });
});

describe('PAIN_INCREASE with reading confirmation off (one reading against the previous evaluation, as before)', () => {
  const off = { readingConfirmation: false };
  const pair = (from: number | null | undefined, to: number | null | undefined) => [
    evaluation('2025-03-01', 10, { painScore: from }),
    evaluation('2025-06-01', 10, { painScore: to }),
  ];

  it.each<{ story: string; evaluations: EvaluationPoint[]; settings?: Partial<RuleSettings>; fires: boolean }>([
    { story: 'pain 3→5 (+2 points, +66 %) fires at the points threshold', evaluations: pair(3, 5), fires: true },
    { story: 'pain 3→4 is only +1 point: quiet', evaluations: pair(3, 4), fires: false },
    { story: 'pain 8→10 is +2 points but only +25 %: quiet', evaluations: pair(8, 10), fires: false },
    { story: 'pain 6→8 is +2 points and +33 %: fires', evaluations: pair(6, 8), fires: true },
    { story: 'pain from 0 to 2 counts on points alone', evaluations: pair(0, 2), fires: true },
    { story: 'pain from 0 to 1 stays quiet', evaluations: pair(0, 1), fires: false },
    { story: 'pain that eased 6→2 stays quiet', evaluations: pair(6, 2), fires: false },
    { story: 'pain 5→6.5 (+1.5 points, +30 %) stays quiet by default', evaluations: pair(5, 6.5), fires: false },
    { story: 'pain 5→6.5 fires when the clinic accepts 1.5 points', evaluations: pair(5, 6.5), settings: { painIncreasePoints: 1.5 }, fires: true },
    { story: 'no pain score at the previous visit stays quiet', evaluations: pair(null, 7), fires: false },
    { story: 'no pain score now stays quiet', evaluations: pair(2, undefined), fires: false },
    { story: 'a score of 11 is off the 0–10 scale: quiet', evaluations: pair(2, 11), fires: false },
    { story: 'a single +2 after steady scores fires (1, 1, 1 then 3)', evaluations: scores(1, 1, 1, 3), fires: true },
    { story: 'a previous evaluation without a score is not skipped: 1, –, 3 stays quiet', evaluations: scores(1, null, 3), fires: false },
  ])('$story', ({ evaluations, settings: overrides, fires }) => {
    expect(run(evaluations, { ...off, ...overrides }) !== null).toBe(fires);
  });

  it('after a decision compares with the evaluation current then', () => {
    expect(run(scores(1, 3, 3), off, quarter(1))).toBeNull();
    expect(run(scores(1, 3, 5), off, quarter(1))).not.toBeNull();
  });

  it('is a warning naming both scores and the change', () => {
    const finding = run(pair(3, 6), off);
    expect(finding).toMatchObject({ rule: 'PAIN_INCREASE', severity: 'warning' });
    expect(finding?.message).toBe('Pain at R index pulp rose from 3 to 6 (+3 points, +100 %) between 2025-03-01 and 2025-06-01');
    expect(finding?.evidence).toMatchObject({
      referenceKind: 'previous',
      referenceCount: 1,
      confirmingEvaluationIds: ['caliper-2025-06-01'],
      painFrom: 3,
      painTo: 6,
      changePoints: 3,
      changePercent: 100,
    });
  });

  it('says a rise from no pain without a percent', () => {
    expect(run(pair(0, 3), off)?.message).toBe('Pain at R index pulp rose from 0 to 3 (+3 points) between 2025-03-01 and 2025-06-01');
  });
});
