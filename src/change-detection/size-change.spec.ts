import { describe, expect, it } from '@jest/globals';
import { meetsDecrease, meetsIncrease, sizeChange } from './size-change';

const thresholds = { percent: 20, mm: 5, noiseFloorMm: 2 };

describe('size change', () => {
  it('has no percent from a 0 mm reference', () => {
    expect(sizeChange(0, 4)).toEqual({ mm: 4, percent: null });
    expect(sizeChange(8, 13)).toEqual({ mm: 5, percent: 62.5 });
  });

  it.each([
    ['8 → 13 mm passes +20 % and +5 mm', 8, 13, true],
    ['8.1 → 13.1 mm is +5 mm despite floating point', 8.1, 13.1, true],
    ['25 → 30 mm is exactly +20 % and +5 mm', 25, 30, true],
    ['30 → 35.9 mm is only +19.7 %', 30, 35.9, false],
    ['8 → 11 mm is +37 % but only +3 mm', 8, 11, false],
    ['0 → 5 mm grows from nothing', 0, 5, true],
    ['a shrinking deposit never meets an increase', 13, 8, false],
  ])('%s', (_story, from, to, expected) => {
    expect(meetsIncrease(sizeChange(from, to), thresholds)).toBe(expected);
  });

  it('applies the noise floor even when the thresholds are lower', () => {
    expect(meetsIncrease(sizeChange(10, 11.5), { percent: 1, mm: 1, noiseFloorMm: 2 })).toBe(false);
  });

  it.each([
    ['20 → 14 mm is 30 % smaller', 20, 14, true],
    ['20 → 14.1 mm is under 30 % smaller', 20, 14.1, false],
    ['5 → 3.4 mm is 32 % but only 1.6 mm, under the noise floor', 5, 3.4, false],
    ['a growing deposit never meets a decrease', 10, 20, false],
    ['nothing cannot shrink', 0, 0, false],
  ])('%s', (_story, from, to, expected) => {
    expect(meetsDecrease(sizeChange(from, to), 30, 2)).toBe(expected);
  });
});
