import { describe, expect, it } from '@jest/globals';
import { addMonths } from '../date-utils';
import { context, deposit, evaluation, lastDate, settings } from '../testing/fixtures';
import type { EvaluationPoint, RuleSettings } from '../types';
import { migrationRule } from './migration.rule';

type Place = Pick<EvaluationPoint, 'landmark' | 'xMm' | 'yMm' | 'mobility'>;

const at = (landmark: string | null, xMm: number | null, yMm: number | null): Place => ({ landmark, xMm, yMm });
const styloid = (xMm: number, yMm: number): Place => at('radial styloid', xMm, yMm);
const quarter = (index: number) => addMonths('2024-01-10', 3 * index);

/** One place per quarterly visit from 2024-01-10 ({}: evaluated without a position). */
const places = (...list: Place[]): EvaluationPoint[] => list.map((place, index) => evaluation(quarter(index), 10, place));

const run = (evaluations: EvaluationPoint[], overrides: Partial<RuleSettings> = {}, decidedOn: string | null = null) =>
  migrationRule(deposit(evaluations, { decidedOn }), context(lastDate(evaluations)), settings(overrides));

interface Row {
  story: string;
  evaluations: EvaluationPoint[];
  settings?: Partial<RuleSettings>;
  decidedOn?: string;
  /** null: quiet; otherwise how the position part fired ('mobility' when only the mobility did) */
  fires: 'immediate' | 'confirmed' | 'mobility' | null;
}

const how = (evaluations: EvaluationPoint[], overrides?: Partial<RuleSettings>, decidedOn?: string) => {
  const finding = run(evaluations, overrides, decidedOn ?? null);
  if (finding === null) return null;
  return (finding.evidence.confirmation as string | undefined) ?? (finding.evidence.mobilityChanged ? 'mobility' : 'previous');
};

describe('MIGRATION with reading confirmation (the default)', () => {
  it.each<Row>([
    { story: 'one reading 12 mm off (0,0 ×3 then 12,0) is a single reading: quiet', evaluations: places(styloid(0, 0), styloid(0, 0), styloid(0, 0), styloid(12, 0)), fires: null },
    {
      story: 'a second reading past 10 mm in a row confirms the move: fires',
      evaluations: places(styloid(0, 0), styloid(1, 0), styloid(0, 1), styloid(12, 0), styloid(11, 3)),
      fires: 'confirmed',
    },
    { story: 'the pair may point in different directions (12 mm right, then 12 mm up)', evaluations: places(styloid(0, 0), styloid(12, 0), styloid(0, 12)), fires: 'confirmed' },
    { story: 'a 20 mm move (12, 16) fires at once against one earlier reading', evaluations: places(styloid(0, 0), styloid(12, 16)), fires: 'immediate' },
    { story: 'a 19.9 mm move is not immediate: quiet', evaluations: places(styloid(0, 0), styloid(0, 0), styloid(19.9, 0)), fires: null },
    { story: 'two readings are too few for an ordinary move (0,0 then 15,0): quiet', evaluations: places(styloid(0, 0), styloid(15, 0)), fires: null },
    {
      story: 'each axis takes its own median (x 0, 0, 30 → 0; y 30, 0, 0 → 0): 11, 0 twice fires',
      evaluations: places(styloid(0, 30), styloid(0, 0), styloid(30, 0), styloid(11, 0), styloid(11, 0)),
      fires: 'confirmed',
    },
    {
      story: 'the median of an even count is the mean of the two middle values (x 0 and 4 → 2): 11, 0 twice is only 9 mm, quiet',
      evaluations: places(styloid(0, 0), styloid(4, 0), styloid(11, 0), styloid(11, 0)),
      fires: null,
    },
    {
      story: 'an offset from another landmark is skipped, it neither confirms nor breaks the pair',
      evaluations: places(styloid(0, 0), styloid(0, 0), styloid(12, 0), at('ulnar styloid', 0, 0), styloid(12, 0)),
      fires: 'confirmed',
    },
    { story: 'a landmark matches whatever its case and spaces', evaluations: places(at('Radial styloid ', 0, 0), styloid(0, 0), at(' RADIAL STYLOID', 12, 0), styloid(12, 0)), fires: 'confirmed' },
    { story: 'an evaluation without a position is skipped (0,0 ×2, 12,0, –, 12,0)', evaluations: places(styloid(0, 0), styloid(0, 0), styloid(12, 0), {}, styloid(12, 0)), fires: 'confirmed' },
    { story: 'a position needs both offsets: one without yMm is skipped', evaluations: places(styloid(0, 0), at('radial styloid', 30, null), styloid(0, 0)), fires: null },
    { story: 'no position now keeps the position part quiet', evaluations: places(styloid(0, 0), styloid(25, 0), {}), fires: null },
    { story: 'a position now from a landmark never used before has nothing to compare with', evaluations: places(styloid(0, 0), at('ulnar styloid', 30, 0)), fires: null },
    {
      story: 'the noise floor still applies: a 1.5 mm shift twice stays quiet even with 1 mm settings',
      evaluations: places(styloid(0, 0), styloid(0, 0), styloid(1.5, 0), styloid(1.5, 0)),
      settings: { migrationMm: 1, migrationHighMm: 1 },
      fires: null,
    },
    { story: 'the clinic fires at once from 15 mm', evaluations: places(styloid(0, 0), styloid(15, 0)), settings: { migrationHighMm: 15 }, fires: 'immediate' },
    { story: 'a fixed deposit that became mobile fires at once', evaluations: places({ mobility: 'fixed' }, { mobility: 'mobile' }), fires: 'mobility' },
    { story: 'mobility is compared with the previous evaluation that records one', evaluations: places({ mobility: 'fixed' }, {}, { mobility: 'mobile' }), fires: 'mobility' },
    { story: 'an unchanged mobility stays quiet', evaluations: places({ mobility: 'fixed' }, { mobility: 'fixed' }), fires: null },
    { story: 'a first mobility on record stays quiet', evaluations: places({}, { mobility: 'mobile' }), fires: null },
  ])('$story', ({ evaluations, settings: overrides, fires }) => {
    expect(how(evaluations, overrides)).toBe(fires);
  });

  it.each<Row>([
    {
      story: 'after deciding on a confirmed move, a third reading there stays quiet',
      evaluations: places(styloid(0, 0), styloid(0, 0), styloid(12, 0), styloid(12, 0), styloid(12, 0)),
      decidedOn: quarter(3),
      fires: null,
    },
    {
      story: 'after the decision a further 20 mm fires at the next reading',
      evaluations: places(styloid(0, 0), styloid(12, 0), styloid(12, 0), styloid(32, 0)),
      decidedOn: quarter(2),
      fires: 'immediate',
    },
    {
      story: 'after the decision a further 10 mm fires at the second reading past it',
      evaluations: places(styloid(0, 0), styloid(12, 0), styloid(12, 0), styloid(23, 0), styloid(23, 0)),
      decidedOn: quarter(2),
      fires: 'confirmed',
    },
    {
      story: 'decided at a visit without a position: the position current then (25, 0) is the reference, so 45, 0 fires at once',
      evaluations: places(styloid(0, 0), styloid(25, 0), {}, styloid(45, 0)),
      decidedOn: quarter(2),
      fires: 'immediate',
    },
    {
      story: 'a mobility change the physician decided on does not fire again',
      evaluations: places({ mobility: 'fixed' }, { mobility: 'mobile' }, {}, { mobility: 'mobile' }),
      decidedOn: quarter(2),
      fires: null,
    },
  ])('re-firing after a decision: $story', ({ evaluations, decidedOn, fires }) => {
    expect(how(evaluations, {}, decidedOn)).toBe(fires);
  });

  it.each([
    ['an empty history', deposit([])],
    ['a first evaluation', deposit([evaluation('2025-06-01', 10, styloid(0, 0))])],
  ])('stays quiet for %s', (_story, input) => {
    expect(migrationRule(input, context('2025-06-01'), settings())).toBeNull();
  });

  it('says a confirmed move as a physician would, with the median position and the confirming evaluations', () => {
    const finding = run(places(styloid(0, 0), styloid(2, 0), styloid(0, 2), styloid(12, 0), { ...styloid(0, 14), mobility: 'mobile' }));
    expect(finding).toMatchObject({ rule: 'MIGRATION', severity: 'warning' });
    expect(finding?.message).toBe(
      'R index pulp moved 12 and then 14 mm relative to the radial styloid at the last two visits (2024-10-10, 2025-01-10), ' +
        'against its median position over the 3 readings before them',
    );
    expect(finding?.evidence).toMatchObject({
      referenceKind: 'median',
      referenceCount: 3,
      referencePosition: { xMm: 0, yMm: 0 },
      confirmation: 'confirmed',
      confirmingEvaluationIds: ['caliper-2024-10-10', 'caliper-2025-01-10'],
      currentPosition: { xMm: 0, yMm: 14 },
      distanceMm: 14,
      mobilityChanged: false,
      thresholds: { migrationMm: 10, migrationHighMm: 20, noiseFloorMm: 2, readingConfirmation: true },
      settingsVersion: 3,
    });
  });

  it('says an immediate move together with a change of mobility', () => {
    const finding = run(places({ ...styloid(0, 0), mobility: 'fixed' }, { ...styloid(12, 16), mobility: 'mobile' }));
    expect(finding?.message).toBe(
      'R index pulp moved 20 mm relative to the radial styloid at the last visit (2024-04-10), against its position on 2024-01-10, ' +
        'the one reading before it, and became mobile (was fixed on 2024-01-10)',
    );
    expect(finding?.evidence).toMatchObject({ referenceKind: 'median', referenceCount: 1, confirmation: 'immediate', mobilityChanged: true, previousMobility: 'fixed' });
  });

  it('says a change of mobility alone against the previous evaluation that records one', () => {
    const finding = run(places({ mobility: 'fixed' }, {}, { mobility: 'mobile' }));
    expect(finding?.message).toBe('R index pulp became mobile (was fixed) between 2024-01-10 and 2024-07-10');
    expect(finding?.evidence).toMatchObject({ referenceKind: 'previous', referenceCount: 1, previousMobilityEvaluationId: 'caliper-2024-01-10', confirmingEvaluationIds: ['caliper-2024-07-10'] });
  });
});

describe('MIGRATION with reading confirmation off (one reading against the previous evaluation, as before)', () => {
  const off = { readingConfirmation: false };
  const pair = (previous: Place, current: Place) => [evaluation('2025-03-01', 10, previous), evaluation('2025-06-01', 10, current)];

  it.each<{ story: string; evaluations: EvaluationPoint[]; settings?: Partial<RuleSettings>; fires: boolean }>([
    { story: 'a deposit 10 mm away from the same landmark (6, 8 mm) fires at the threshold', evaluations: pair(styloid(0, 0), styloid(6, 8)), fires: true },
    { story: 'a shift of 9.9 mm stays quiet', evaluations: pair(styloid(0, 0), styloid(9.9, 0)), fires: false },
    { story: 'landmarks match regardless of case and spaces', evaluations: pair(at('Radial styloid ', 0, 0), styloid(0, 12)), fires: true },
    { story: 'offsets from different landmarks are not compared', evaluations: pair(styloid(0, 0), at('ulnar styloid', 30, 0)), fires: false },
    { story: 'a missing offset stays quiet', evaluations: pair(at('radial styloid', 0, null), styloid(30, 0)), fires: false },
    { story: 'no landmark on either side stays quiet', evaluations: pair(at(null, 0, 0), at(null, 30, 0)), fires: false },
    { story: 'a fixed deposit that became mobile fires', evaluations: pair({ mobility: 'fixed' }, { mobility: 'mobile' }), fires: true },
    { story: 'a mobility not recorded before stays quiet', evaluations: pair({ mobility: null }, { mobility: 'mobile' }), fires: false },
    { story: 'an unchanged mobility stays quiet', evaluations: pair({ mobility: 'fixed' }, { mobility: 'fixed' }), fires: false },
    { story: 'a 1.5 mm shift stays under the noise floor even with a 1 mm migration setting', evaluations: pair(styloid(0, 0), styloid(1.5, 0)), settings: { migrationMm: 1 }, fires: false },
    { story: 'one reading 12 mm off after steady ones fires', evaluations: places(styloid(0, 0), styloid(0, 0), styloid(0, 0), styloid(12, 0)), fires: true },
    { story: 'a previous evaluation without a position is not skipped: quiet', evaluations: places(styloid(0, 0), {}, styloid(30, 0)), fires: false },
  ])('$story', ({ evaluations, settings: overrides, fires }) => {
    expect(run(evaluations, { ...off, ...overrides }) !== null).toBe(fires);
  });

  it('reports distance and mobility together as one warning', () => {
    const finding = run(pair({ ...styloid(0, 0), mobility: 'fixed' }, { ...styloid(6, 8), mobility: 'mobile' }), off);
    expect(finding).toMatchObject({ rule: 'MIGRATION', severity: 'warning' });
    expect(finding?.message).toBe(
      'R index pulp moved 10 mm relative to the radial styloid and became mobile (was fixed) between 2025-03-01 and 2025-06-01',
    );
    expect(finding?.evidence).toMatchObject({ referenceKind: 'previous', referenceCount: 1, distanceMm: 10, settingsVersion: 3 });
  });
});
