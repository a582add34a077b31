import { describe, expect, it } from '@jest/globals';
import { isRisingTrend, linearTrend, type TrendPoint } from './trend';

const points = (pairs: Array<[string, number]>): TrendPoint[] => pairs.map(([date, mm]) => ({ date, mm }));

describe('linearTrend', () => {
  it('fits a noisy rise over four-year steps: slope 0.625 mm/year, t ≈ 2.89', () => {
    // x = 0, 4, 8 years (2020→2024→2028 are 1461 days each); y = 10, 14, 15.
    const trend = linearTrend(points([['2020-01-01', 10], ['2024-01-01', 14], ['2028-01-01', 15]]));
    expect(trend?.slopeMmPerYear).toBeCloseTo(0.625, 10);
    expect(trend?.interceptMm).toBeCloseTo(10.5, 10);
    expect(trend?.standardError).toBeCloseTo(Math.sqrt(1.5 / 32), 10);
    expect(trend?.t).toBeCloseTo(0.625 / Math.sqrt(1.5 / 32), 8);
    expect(trend?.n).toBe(3);
  });

  it.each<{ story: string; series: Array<[string, number]>; t: number; slopeSign: number }>([
    {
      story: 'a perfectly steady rise has a zero standard error and t = +Infinity',
      series: [['2020-01-01', 8], ['2024-01-01', 12], ['2028-01-01', 16]],
      t: Number.POSITIVE_INFINITY,
      slopeSign: 1,
    },
    {
      story: 'a perfectly steady fall has t = -Infinity',
      series: [['2020-01-01', 16], ['2024-01-01', 12], ['2028-01-01', 8]],
      t: Number.NEGATIVE_INFINITY,
      slopeSign: -1,
    },
    {
      story: 'three identical readings are flat with t = 0',
      series: [['2025-01-10', 10.1], ['2025-04-10', 10.1], ['2025-07-10', 10.1]],
      t: 0,
      slopeSign: 0,
    },
  ])('$story', ({ series, t, slopeSign }) => {
    const trend = linearTrend(points(series));
    expect(trend?.t).toBe(t);
    expect(Math.sign(trend?.slopeMmPerYear ?? Number.NaN)).toBe(slopeSign);
  });

  it.each<{ story: string; series: Array<[string, number]> }>([
    { story: 'no readings', series: [] },
    { story: 'two readings are too few for a trend', series: [['2025-01-10', 8], ['2025-04-10', 13]] },
    {
      story: 'three readings on one day have no time spread',
      series: [['2025-01-10', 8], ['2025-01-10', 10], ['2025-01-10', 13]],
    },
  ])('gives no trend for $story', ({ series }) => {
    expect(linearTrend(points(series))).toBeNull();
  });
});

describe('isRisingTrend', () => {
  const rising = linearTrend(points([['2020-01-01', 10], ['2024-01-01', 14], ['2028-01-01', 15]]));

  it.each([
    ['a rise with t ≈ 2.89 passes t > 2', rising, 2, true],
    ['the same rise fails t > 3', rising, 3, false],
    ['no trend never confirms', null, 0, false],
    ['a steady fall never confirms', linearTrend(points([['2020-01-01', 16], ['2024-01-01', 12], ['2028-01-01', 8]])), 0, false],
  ] as const)('%s', (_story, trend, minT, expected) => {
    expect(isRisingTrend(trend, minT)).toBe(expected);
  });
});
