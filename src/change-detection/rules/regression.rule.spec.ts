import { describe, expect, it } from '@jest/globals';
import { context, deposit, evaluation, lastDate, readings, settings, treatment } from '../testing/fixtures';
import type { EvaluationPoint } from '../types';
import { regressionRule } from './regression.rule';

const run = (evaluations: EvaluationPoint[]) => regressionRule(deposit(evaluations), context(lastDate(evaluations)), settings());

describe('REGRESSION', () => {
  it.each<{ story: string; evaluations: EvaluationPoint[]; fires: boolean }>([
    {
      story: 'a 20 mm deposit down to 14 mm (-30 %) on treatment fires at the threshold',
      evaluations: readings('caliper', [['2025-01-10', 20], ['2025-04-10', 17], ['2025-07-10', 14]]),
      fires: true,
    },
    {
      story: '20→14.1 mm is under 30 % smaller: quiet',
      evaluations: readings('caliper', [['2025-01-10', 20], ['2025-07-10', 14.1]]),
      fires: false,
    },
    {
      story: 'a 5 mm nodule down to 3.4 mm is 32 % but only 1.6 mm, under the noise floor',
      evaluations: readings('caliper', [['2025-01-10', 5], ['2025-07-10', 3.4]]),
      fires: false,
    },
    {
      story: 'a palpation baseline of 20 mm is not compared with an ultrasound 10 mm',
      evaluations: [evaluation('2025-01-10', 20, { method: 'palpation' }), evaluation('2025-07-10', 10, { method: 'ultrasound' })],
      fires: false,
    },
    {
      story: 'the baseline is the first ultrasound (20 mm), ignoring a caliper reading between: 13 mm fires',
      evaluations: [
        evaluation('2025-01-10', 20, { method: 'ultrasound' }),
        evaluation('2025-04-10', 25, { method: 'caliper' }),
        evaluation('2025-07-10', 13, { method: 'ultrasound' }),
      ],
      fires: true,
    },
    {
      story: 'a growing deposit is not regressing',
      evaluations: readings('caliper', [['2025-01-10', 10], ['2025-07-10', 20]]),
      fires: false,
    },
    {
      story: 'after a resolved alert the truncated history (14→13 mm) does not fire again',
      evaluations: readings('caliper', [['2025-07-10', 14], ['2025-10-10', 13]]),
      fires: false,
    },
    {
      story: 'an unusable current size stays quiet',
      evaluations: [evaluation('2025-01-10', 20), evaluation('2025-07-10', Number.NaN)],
      fires: false,
    },
    { story: 'a single first evaluation stays quiet', evaluations: readings('caliper', [['2025-01-10', 20]]), fires: false },
    { story: 'an empty history stays quiet', evaluations: [], fires: false },
  ])('$story', ({ evaluations, fires }) => {
    expect(run(evaluations) !== null).toBe(fires);
  });

  it('is info against the baseline and keeps the current tier', () => {
    const evaluations = readings('caliper', [['2025-01-10', 20], ['2025-07-10', 12]]);
    const ctx = context('2025-07-10', { treatments: [treatment('diltiazem', '2025-01-10')] });
    const finding = regressionRule(deposit(evaluations), ctx, settings());
    expect(finding).toMatchObject({ rule: 'REGRESSION', severity: 'info' });
    expect(finding?.message).toBe('R index pulp shrank from 20 mm (baseline, 2025-01-10) to 12 mm (-8 mm, -40 %) by caliper');
    expect(finding?.evidence).toMatchObject({ referenceKind: 'baseline', referenceMm: 20, currentMm: 12, changeMm: -8, changePercent: -40 });
    expect(finding?.suggestedAction).toEqual({
      currentTier: 2,
      suggestedTier: 2,
      text: 'Current: tier 2 (systemic therapy). Responding; consider whether the current tier is still needed.',
    });
  });
});
