import { describe, expect, it } from '@jest/globals';
import { context, deposit, evaluation, lastDate, readings, settings, treatment } from '../testing/fixtures';
import type { EvaluationPoint, RuleSettings, Severity } from '../types';
import { depositGrowthRule } from './deposit-growth.rule';

interface Row {
  story: string;
  evaluations: EvaluationPoint[];
  settings?: Partial<RuleSettings>;
  expected: Severity | null;
}

const run = (evaluations: EvaluationPoint[], overrides: Partial<RuleSettings> = {}) =>
  depositGrowthRule(deposit(evaluations), context(lastDate(evaluations)), settings(overrides));

describe('DEPOSIT_GROWTH', () => {
  it.each<Row>([
    {
      story: 'caliper 8→13 mm over three rising visits fires warning',
      evaluations: readings('caliper', [['2025-01-10', 8], ['2025-04-10', 10.5], ['2025-07-10', 13]]),
      expected: 'warning',
    },
    {
      story: 'exactly +20 % and +5 mm (25→30 mm) on a rising trend fires at the threshold',
      evaluations: readings('caliper', [['2025-01-10', 25], ['2025-04-10', 27.5], ['2025-07-10', 30]]),
      expected: 'warning',
    },
    {
      story: '8→12.9 mm is +4.9 mm, just under 5 mm: quiet',
      evaluations: readings('caliper', [['2025-01-10', 8], ['2025-04-10', 10.5], ['2025-07-10', 12.9]]),
      expected: null,
    },
    {
      story: '30→35.9 mm is +5.9 mm but only +19.7 %: quiet',
      evaluations: readings('caliper', [['2025-01-10', 30], ['2025-04-10', 33], ['2025-07-10', 35.9]]),
      expected: null,
    },
    {
      story: '+37 % but only +3 mm (8→11 mm) never fires',
      evaluations: readings('caliper', [['2025-01-10', 8], ['2025-04-10', 9.5], ['2025-07-10', 11]]),
      expected: null,
    },
    {
      story: 'RECIST additive: +4 mm then +2 mm over the 10 mm nadir is +6 mm and fires on a confirming trend',
      evaluations: readings('caliper', [['2025-01-10', 10], ['2025-04-10', 14], ['2025-07-10', 16]]),
      expected: 'warning',
    },
    {
      story: 'RECIST additive after a dip (15, nadir 10, 14, 16) fires with trend confirmation off',
      evaluations: readings('caliper', [['2025-01-10', 15], ['2025-04-10', 10], ['2025-07-10', 14], ['2025-10-10', 16]]),
      settings: { trendConfirmation: false },
      expected: 'warning',
    },
    {
      story: 'the same noisy dip-and-rise is not confirmed by its weak trend: quiet',
      evaluations: readings('caliper', [['2025-01-10', 15], ['2025-04-10', 10], ['2025-07-10', 14], ['2025-10-10', 16]]),
      expected: null,
    },
    {
      story: 'two readings 8→13 mm cannot confirm a trend: quiet',
      evaluations: readings('caliper', [['2025-01-10', 8], ['2025-07-10', 13]]),
      expected: null,
    },
    {
      story: 'two readings 8→13 mm fire when trend confirmation is off',
      evaluations: readings('caliper', [['2025-01-10', 8], ['2025-07-10', 13]]),
      settings: { trendConfirmation: false },
      expected: 'warning',
    },
    {
      story: 'a doubling 8→20 mm (+12 mm, +150 %) is high with no trend needed',
      evaluations: readings('caliper', [['2025-01-10', 8], ['2025-07-10', 20]]),
      expected: 'high',
    },
    {
      story: 'exactly +50 % and +10 mm (20→30 mm) is high at the threshold',
      evaluations: readings('caliper', [['2025-01-10', 20], ['2025-07-10', 30]]),
      expected: 'high',
    },
    {
      story: '8→17.9 mm is +9.9 mm, under the high level, and two readings cannot confirm: quiet',
      evaluations: readings('caliper', [['2025-01-10', 8], ['2025-07-10', 17.9]]),
      expected: null,
    },
    {
      story: 'a palpation baseline of 8 mm is not compared with an ultrasound 20 mm',
      evaluations: [evaluation('2025-01-10', 8, { method: 'palpation' }), evaluation('2025-07-10', 20, { method: 'ultrasound' })],
      expected: null,
    },
    {
      story: 'palpation and photo are one class with the caliper: 8→20 mm is high',
      evaluations: [evaluation('2025-01-10', 8, { method: 'palpation' }), evaluation('2025-07-10', 20, { method: 'photo' })],
      expected: 'high',
    },
    {
      story: 'a 1.5 mm rise stays under the noise floor even with 1 mm / 10 % thresholds',
      evaluations: readings('caliper', [['2025-01-10', 10], ['2025-04-10', 10.5], ['2025-07-10', 11.5]]),
      settings: { growthMm: 1, growthPercent: 10 },
      expected: null,
    },
    {
      story: 'a current reading that is not a number stays quiet',
      evaluations: [...readings('caliper', [['2025-01-10', 8], ['2025-04-10', 10]]), evaluation('2025-07-10', Number.NaN)],
      expected: null,
    },
    {
      story: 'a palpation 8 mm and a caliper 20 mm taken at the same visit are not compared with each other',
      evaluations: [evaluation('2025-07-10', 8, { method: 'palpation' }), evaluation('2025-07-10', 20)],
      expected: null,
    },
    { story: 'an empty history stays quiet', evaluations: [], expected: null },
    { story: 'a single first evaluation stays quiet', evaluations: readings('caliper', [['2025-01-10', 30]]), expected: null },
    {
      story: 'a steady deposit stays quiet',
      evaluations: readings('caliper', [['2025-01-10', 12], ['2025-04-10', 12], ['2025-07-10', 12]]),
      expected: null,
    },
    {
      story: 'after a resolved alert the truncated history (13, 14 mm) does not fire again on the old 8 mm nadir',
      evaluations: readings('caliper', [['2025-07-10', 13], ['2025-10-10', 14]]),
      settings: { trendConfirmation: false },
      expected: null,
    },
    {
      story: 'after a resolved alert it fires anew when the deposit grows again from the decision reading (13→19 mm)',
      evaluations: readings('caliper', [['2025-07-10', 13], ['2025-10-10', 16], ['2026-01-10', 19]]),
      expected: 'warning',
    },
  ])('$story', ({ evaluations, settings: overrides, expected }) => {
    expect(run(evaluations, overrides)?.severity ?? null).toBe(expected);
  });

  it('uses the nadir of the same class only: ultrasound 8 mm, not the palpation 5 mm', () => {
    const finding = run([
      evaluation('2025-01-10', 8, { method: 'ultrasound' }),
      evaluation('2025-02-10', 5, { method: 'palpation' }),
      evaluation('2025-04-10', 10.5, { method: 'ultrasound' }),
      evaluation('2025-07-10', 13, { method: 'ultrasound' }),
    ]);
    expect(finding?.evidence).toMatchObject({ referenceKind: 'nadir', referenceMm: 8, currentMm: 13, methodClass: 'ultrasound' });
  });

  it('writes one checkable sentence and the full evidence', () => {
    const evaluations = readings('caliper', [['2025-01-10', 8], ['2025-04-10', 10.5], ['2025-07-10', 13]]);
    const finding = depositGrowthRule(
      deposit(evaluations),
      context('2025-07-10', { treatments: [treatment('colchicine', '2025-01-10', { depositId: 'dep-1' })] }),
      settings(),
    );
    expect(finding?.message).toBe('R index pulp grew from 8 mm (nadir, 2025-01-10) to 13 mm (+5 mm, +62 %) by caliper');
    expect(finding?.depositId).toBe('dep-1');
    expect(finding?.evidence).toMatchObject({
      referenceKind: 'nadir',
      referenceEvaluationId: 'caliper-2025-01-10',
      referenceDate: '2025-01-10',
      referenceMm: 8,
      currentEvaluationId: 'caliper-2025-07-10',
      currentDate: '2025-07-10',
      currentMm: 13,
      changeMm: 5,
      changePercent: 62.5,
      trendPoints: 3,
      thresholds: { growthPercent: 20, growthMm: 5, growthHighPercent: 50, growthHighMm: 10, trendMinT: 2 },
      settingsVersion: 3,
    });
    expect(finding?.evidence.slopeMmPerYear).toBeGreaterThan(9);
    expect(finding?.evidence.t).toBeDefined();
    expect(finding?.suggestedAction).toEqual({
      currentTier: 1,
      suggestedTier: 2,
      text: 'Current: tier 1 (local or low-risk therapy). Consider tier 2 (systemic therapy).',
    });
  });
});
