import { describe, expect, it } from '@jest/globals';
import { settings } from '../testing/fixtures';
import type { RuleSettings } from '../types';
import { cohortFrom, DEFAULT_COHORT, generateCohort, type CohortKind, type CohortOptions } from './cohort';
import { simulateOnCohort, simulateRules, type RuleFigures, type SimulationTable } from './simulate';

type CohortChanges = Partial<Omit<CohortOptions, 'patients' | 'noise' | 'change' | 'baseline'>> & {
  patients?: Partial<Record<CohortKind, number>>;
  noise?: Partial<CohortOptions['noise']>;
  change?: Partial<CohortOptions['change']>;
  baseline?: Partial<CohortOptions['baseline']>;
};

/** A cohort small enough for a unit test (the default noise and changes, fewer patients). */
function cohort({ patients, ...changes }: CohortChanges = {}): CohortOptions {
  const { options, problems } = cohortFrom({ ...changes, patients: { unchanged: 30, growing: 15, 'pain-rising': 20, moving: 20, ...patients } });
  expect(problems).toEqual([]);
  return options;
}

const NO_NOISE = { sizePercent: 0, sizeMm: 0, painSd: 0, landmarkSdMm: 0 };

const figures = (table: SimulationTable, rule: string): RuleFigures => {
  const found = table.rules.find((row) => row.rule === rule);
  if (found === undefined) throw new Error(`no ${rule} row`);
  return found;
};

describe('the rule simulator', () => {
  it('gives the same table for the same seed, and another one for another seed', () => {
    const options = cohort();
    expect(simulateRules(settings(), options)).toEqual(simulateRules(settings(), options));
    expect(simulateRules(settings(), { ...options, seed: options.seed + 1 })).not.toEqual(simulateRules(settings(), options));
  });

  it('draws each patient from the seed, its kind and its place: a smaller cohort is the start of a larger one', () => {
    const small = generateCohort(cohort({ patients: { unchanged: 3, growing: 2, 'pain-rising': 1, moving: 1 } }));
    const large = generateCohort(cohort({ patients: { unchanged: 5, growing: 2, 'pain-rising': 3, moving: 1 } }));
    const byKind = (patients: typeof small, kind: CohortKind) => patients.filter((p) => p.kind === kind).map((p) => p.visits);
    expect(byKind(large, 'unchanged').slice(0, 3)).toEqual(byKind(small, 'unchanged'));
    expect(byKind(large, 'pain-rising').slice(0, 1)).toEqual(byKind(small, 'pain-rising'));
  });

  it.each<{ story: string; options: CohortOptions; check: (table: SimulationTable) => void }>([
    {
      story: 'patients in whom nothing changes, measured without error, raise no alert at all',
      options: cohort({ noise: NO_NOISE }),
      check: (table) => expect(table.falseAlertsPerPatientYear).toBe(0),
    },
    {
      story: 'without error a sustained 3-point rise is confirmed at the next visit, every time',
      options: cohort({ noise: NO_NOISE }),
      check: (table) => expect(figures(table, 'PAIN_INCREASE')).toMatchObject({ sensitivityPercent: 100, medianDelayDays: expect.any(Number) }),
    },
    {
      story: 'without error a 4-point rise fires at the visit of the change',
      options: cohort({ noise: NO_NOISE, change: { painRisePoints: 4 } }),
      check: (table) => expect(figures(table, 'PAIN_INCREASE')).toMatchObject({ sensitivityPercent: 100, medianDelayDays: 0 }),
    },
    {
      story: 'without error a 15 mm move is confirmed at the next visit, about three months later',
      options: cohort({ noise: NO_NOISE }),
      check: (table) => {
        expect(figures(table, 'MIGRATION').sensitivityPercent).toBe(100);
        expect(figures(table, 'MIGRATION').medianDelayDays).toBeGreaterThanOrEqual(89);
        expect(figures(table, 'MIGRATION').medianDelayDays).toBeLessThanOrEqual(92);
      },
    },
    {
      story: 'without error a 25 mm move fires at once',
      options: cohort({ noise: NO_NOISE, change: { moveMm: 25 } }),
      check: (table) => expect(figures(table, 'MIGRATION')).toMatchObject({ sensitivityPercent: 100, medianDelayDays: 0 }),
    },
    {
      story: 'without error every deposit of 10–30 mm growing 30 % a year is flagged within the two years (it gains at least 5 mm)',
      options: cohort({ noise: NO_NOISE, baseline: { sizeMm: [10, 30] } }),
      check: (table) => expect(figures(table, 'DEPOSIT_GROWTH').sensitivityPercent).toBe(100),
    },
    {
      story: 'a cohort without changing patients reports the false alerts only',
      options: cohort({ patients: { growing: 0, 'pain-rising': 0, moving: 0 } }),
      check: (table) => {
        expect(table.unchangedPatientYears).toBe(60);
        expect(figures(table, 'PAIN_INCREASE')).toMatchObject({ changingCount: 0, sensitivityPercent: 0, medianDelayDays: null });
      },
    },
  ])('$story', ({ options, check }) => {
    check(simulateRules(settings(), options));
  });

  it('counts alerts as the API creates them: one per deposit and rule while it is open, however often the rule fires', () => {
    const table = simulateRules(settings({ readingConfirmation: false, painIncreasePoints: 1, painIncreasePercent: 1 }), cohort({ patients: { growing: 0, 'pain-rising': 0, moving: 0 } }));
    const pain = figures(table, 'PAIN_INCREASE');
    // 150 unchanged deposits, nearly all flagged: still at most one alert each
    expect(pain.unchangedFlaggedPercent).toBeGreaterThan(80);
    expect(pain.falseAlerts).toBe(Math.round((pain.unchangedFlaggedPercent / 100) * 150));
  });

  describe('reading confirmation lowers the false rate at equal sensitivity (seeded)', () => {
    const run = (kind: 'pain-rising' | 'moving', changes: Partial<RuleSettings>) => {
      const options = cohort({ patients: { unchanged: 60, growing: 0, 'pain-rising': 0, moving: 0, [kind]: 40 } });
      return simulateOnCohort(generateCohort(options), settings(changes), options);
    };

    it.each<{ rule: 'PAIN_INCREASE' | 'MIGRATION'; unconfirmed: Array<Partial<RuleSettings>> }>([
      {
        rule: 'PAIN_INCREASE',
        unconfirmed: [1, 1.5, 2, 2.5, 3, 3.5].map((points) => ({ readingConfirmation: false, painIncreasePoints: points })),
      },
      {
        rule: 'MIGRATION',
        unconfirmed: [6, 8, 10, 12, 14, 16].map((mm) => ({ readingConfirmation: false, migrationMm: mm })),
      },
    ])('$rule: every one-reading threshold that finds as many changes raises more false alerts', ({ rule, unconfirmed }) => {
      const kind = rule === 'PAIN_INCREASE' ? 'pain-rising' : 'moving';
      const withConfirmation = figures(run(kind, {}), rule);
      const asSensitive = unconfirmed.map((changes) => figures(run(kind, changes), rule)).filter((row) => row.sensitivityPercent! >= withConfirmation.sensitivityPercent!);
      expect(asSensitive.length).toBeGreaterThan(0);
      for (const row of asSensitive) expect(row.falseAlertsPerPatientYear).toBeGreaterThan(2 * withConfirmation.falseAlertsPerPatientYear);
    });
  });

  it.each<[string, unknown, string]>([
    ['an unknown option', { patientz: 3 }, 'patientz is not a cohort option'],
    ['an unknown noise', { noise: { pain: 1 } }, 'noise.pain is not a cohort option'],
    ['a negative patient count', { patients: { unchanged: -1 } }, 'patients.unchanged must be a whole number from 0 to 100000'],
    ['half a visit interval', { visitIntervalMonths: 2.5 }, 'visitIntervalMonths must be a whole number from 1 to 24'],
    ['a text for a noise', { noise: { painSd: 'high' } }, 'noise.painSd must be a number from 0 to 10'],
    ['not an object', [1, 2], 'the cohort must be a JSON object'],
  ])('refuses a cohort with %s', (_story, partial, problem) => {
    expect(cohortFrom(partial, DEFAULT_COHORT).problems).toContain(problem);
  });
});
