import { describe, expect, it } from '@jest/globals';
import { context, deposit, evaluation, readings, settings, treatment } from '../testing/fixtures';
import type { DepositHistory, RuleSettings } from '../types';
import { burdenGrowthRule } from './burden-growth.rule';

const V1 = '2025-01-10';
const V2 = '2025-04-10';
const V3 = '2025-07-10';

const track = (id: string, points: Array<[string, number]>, overrides: Partial<DepositHistory> = {}) =>
  deposit(readings('caliper', points), { depositId: id, label: id, ...overrides });

interface Row {
  story: string;
  deposits: DepositHistory[];
  visitDate: string;
  referenceFrom?: string | null;
  settings?: Partial<RuleSettings>;
  fires: boolean;
}

describe('BURDEN_GROWTH', () => {
  it.each<Row>([
    {
      story: 'two fingertip deposits growing 10→12 and 10→14 mm lift the burden 20→26 mm (+30 %): fires',
      deposits: [track('A', [[V1, 10], [V2, 12]]), track('B', [[V1, 10], [V2, 14]])],
      visitDate: V2,
      fires: true,
    },
    {
      story: 'a burden exactly +5 mm and +25 % (20→25 mm) fires at the threshold',
      deposits: [track('A', [[V1, 10], [V2, 12]]), track('B', [[V1, 10], [V2, 13]])],
      visitDate: V2,
      fires: true,
    },
    {
      story: 'a burden 20→24.9 mm is under +5 mm: quiet',
      deposits: [track('A', [[V1, 10], [V2, 12]]), track('B', [[V1, 10], [V2, 12.9]])],
      visitDate: V2,
      fires: false,
    },
    {
      story: 'a 40→45 mm burden is +5 mm but only +12.5 %: quiet',
      deposits: [track('A', [[V1, 20], [V2, 22]]), track('B', [[V1, 20], [V2, 23]])],
      visitDate: V2,
      fires: false,
    },
    {
      story: 'a new 6 mm deposit beside a stable 20 mm one adds to the burden (+30 %): fires',
      deposits: [track('A', [[V1, 20], [V2, 20]]), track('B', [[V2, 6]], { isNewAtThisVisit: true })],
      visitDate: V2,
      fires: true,
    },
    {
      story: 'the nadir is the lowest burden, not the first: 30, 20 then 26 mm fires',
      deposits: [track('A', [[V1, 30], [V2, 20], [V3, 26]])],
      visitDate: V3,
      fires: true,
    },
    {
      story: 'an excised deposit is left out at every date and cannot fake a change',
      deposits: [track('A', [[V1, 10], [V2, 10]]), track('B', [[V1, 30]], { status: 'excised' })],
      visitDate: V2,
      fires: false,
    },
    {
      story: 'a deposit switched from palpation to ultrasound leaves no comparable earlier burden: quiet',
      deposits: [
        deposit([evaluation(V1, 10, { method: 'palpation' }), evaluation(V2, 18, { method: 'ultrasound' })], { depositId: 'A' }),
        track('B', [[V1, 10], [V2, 10]]),
      ],
      visitDate: V2,
      fires: false,
    },
    {
      story: 'a 1.5 mm rise stays under the noise floor even with 1 mm / 5 % thresholds',
      deposits: [track('A', [[V1, 10], [V2, 11.5]]), track('B', [[V1, 10], [V2, 10]])],
      visitDate: V2,
      settings: { burdenGrowthMm: 1, burdenGrowthPercent: 5 },
      fires: false,
    },
    {
      story: 'no active deposit evaluated at this visit: quiet',
      deposits: [track('A', [[V1, 10], [V2, 20]])],
      visitDate: V3,
      fires: false,
    },
    { story: 'a patient without deposits: quiet', deposits: [], visitDate: V2, fires: false },
    {
      story: 'the very first measurement of the burden has nothing to compare with: quiet',
      deposits: [track('A', [[V1, 10]]), track('B', [[V1, 10]])],
      visitDate: V1,
      fires: false,
    },
    {
      story: 'after a resolved alert (decision on the 26 mm visit) a rise to 27 mm does not fire again',
      deposits: [track('A', [[V1, 20], [V2, 26], [V3, 27]])],
      visitDate: V3,
      referenceFrom: '2025-05-01',
      fires: false,
    },
    {
      story: 'readings handed over out of date order count as of their dates: 20 (V2) after 30 (V1) is the nadir, 26 fires',
      deposits: [deposit(readings('caliper', [[V2, 20], [V1, 30], [V3, 26]]), { depositId: 'A' })],
      visitDate: V3,
      fires: true,
    },
    {
      story: 'without that decision the same 20→27 mm rise fires',
      deposits: [track('A', [[V1, 20], [V2, 26], [V3, 27]])],
      visitDate: V3,
      fires: true,
    },
  ])('$story', ({ deposits, visitDate, referenceFrom, settings: overrides, fires }) => {
    const finding = burdenGrowthRule(deposits, context(visitDate), settings(overrides), referenceFrom ?? null);
    expect(finding !== null).toBe(fires);
  });

  it('takes the burden at each of 1,000 earlier dates from the latest reading of each deposit on that date', () => {
    // two deposits measured on alternate days: at each date one contributes its reading of that
    // day, the other its reading of the day before (a rule that scanned every reading per date
    // took seconds on such a history)
    const day = (n: number) => new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
    const a = Array.from({ length: 500 }, (_, i): [string, number] => [day(2 * i), 10 + (i % 3)]);
    const b = Array.from({ length: 500 }, (_, i): [string, number] => [day(2 * i + 1), 10]);
    const visit = day(1000);
    const finding = burdenGrowthRule([track('A', [...a, [visit, 20]]), track('B', [...b, [visit, 10]])], context(visit), settings());
    const series = (finding?.evidence as { series: { date: string; mm: number }[] }).series;
    expect(series).toHaveLength(1000);
    expect(series[0]).toEqual({ date: day(0), mm: 10 }); // B not recorded yet: it adds 0
    expect(series[1]).toEqual({ date: day(1), mm: 20 });
    expect(series[998]).toEqual({ date: day(998), mm: 21 }); // A's 11 of that day, B's 10 of the day before
    expect(series[999]).toEqual({ date: day(999), mm: 21 }); // B's 10 of that day, A's 11 of the day before
    expect(finding?.evidence).toMatchObject({ referenceDate: day(0), referenceMm: 10, currentMm: 30 });
  });

  it('is a patient-level warning naming the burden, its nadir and the patient-wide tier', () => {
    const finding = burdenGrowthRule(
      [track('A', [[V1, 10], [V2, 12]]), track('B', [[V1, 10], [V2, 14]])],
      context(V2, { treatments: [treatment('diltiazem', V1)] }),
      settings(),
    );
    expect(finding).toMatchObject({ rule: 'BURDEN_GROWTH', depositId: null, severity: 'warning' });
    expect(finding?.message).toBe(
      'Total calcinosis burden of 2 active deposits rose from 20 mm (nadir, 2025-01-10) to 26 mm (+6 mm, +30 %) on 2025-04-10',
    );
    expect(finding?.evidence).toMatchObject({
      referenceKind: 'nadir',
      referenceMm: 20,
      currentMm: 26,
      changeMm: 6,
      changePercent: 30,
      deposits: [
        { depositId: 'A', referenceMm: 10, currentMm: 12 },
        { depositId: 'B', referenceMm: 10, currentMm: 14 },
      ],
      settingsVersion: 3,
    });
    expect(finding?.suggestedAction).toMatchObject({ currentTier: 2, suggestedTier: 3 });
  });
});
