import { describe, expect, it } from '@jest/globals';
import { context, deposit, evaluation, settings } from '../testing/fixtures';
import type { EvaluationPoint, RuleSettings } from '../types';
import { migrationRule } from './migration.rule';

type Place = Pick<EvaluationPoint, 'landmark' | 'xMm' | 'yMm' | 'mobility'>;

const at = (landmark: string | null, xMm: number | null, yMm: number | null): Place => ({ landmark, xMm, yMm });

const run = (previous: Place, current: Place, overrides: Partial<RuleSettings> = {}) =>
  migrationRule(
    deposit([evaluation('2025-03-01', 10, previous), evaluation('2025-06-01', 10, current)]),
    context('2025-06-01'),
    settings(overrides),
  );

describe('MIGRATION', () => {
  it.each<{ story: string; previous: Place; current: Place; settings?: Partial<RuleSettings>; fires: boolean }>([
    { story: 'a deposit 10 mm away from the same landmark (6, 8 mm) fires at the threshold', previous: at('radial styloid', 0, 0), current: at('radial styloid', 6, 8), fires: true },
    { story: 'a shift of 9.9 mm stays quiet', previous: at('radial styloid', 0, 0), current: at('radial styloid', 9.9, 0), fires: false },
    { story: 'landmarks match regardless of case and spaces', previous: at('Radial styloid ', 0, 0), current: at('radial styloid', 0, 12), fires: true },
    { story: 'offsets from different landmarks are not compared', previous: at('radial styloid', 0, 0), current: at('ulnar styloid', 30, 0), fires: false },
    { story: 'a missing offset stays quiet', previous: at('radial styloid', 0, null), current: at('radial styloid', 30, 0), fires: false },
    { story: 'no landmark on either side stays quiet', previous: at(null, 0, 0), current: at(null, 30, 0), fires: false },
    { story: 'a fixed deposit that became mobile fires', previous: { mobility: 'fixed' }, current: { mobility: 'mobile' }, fires: true },
    { story: 'a mobility not recorded before stays quiet', previous: { mobility: null }, current: { mobility: 'mobile' }, fires: false },
    { story: 'an unchanged mobility stays quiet', previous: { mobility: 'fixed' }, current: { mobility: 'fixed' }, fires: false },
    {
      story: 'a 1.5 mm shift stays under the noise floor even with a 1 mm migration setting',
      previous: at('radial styloid', 0, 0),
      current: at('radial styloid', 1.5, 0),
      settings: { migrationMm: 1 },
      fires: false,
    },
  ])('$story', ({ previous, current, settings: overrides, fires }) => {
    expect(run(previous, current, overrides) !== null).toBe(fires);
  });

  it.each([
    ['an empty history', deposit([])],
    ['a first evaluation', deposit([evaluation('2025-06-01', 10, { landmark: 'radial styloid', xMm: 0, yMm: 0 })])],
  ])('stays quiet for %s', (_story, input) => {
    expect(migrationRule(input, context('2025-06-01'), settings())).toBeNull();
  });

  it('reports distance and mobility together as one warning', () => {
    const finding = run(
      { ...at('radial styloid', 0, 0), mobility: 'fixed' },
      { ...at('radial styloid', 6, 8), mobility: 'mobile' },
    );
    expect(finding).toMatchObject({ rule: 'MIGRATION', severity: 'warning' });
    expect(finding?.message).toBe(
      'R index pulp moved 10 mm relative to the radial styloid and became mobile (was fixed) between 2025-03-01 and 2025-06-01',
    );
    expect(finding?.evidence).toMatchObject({ referenceKind: 'previous', distanceMm: 10, settingsVersion: 3 });
  });
});
