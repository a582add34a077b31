import { describe, expect, it } from '@jest/globals';
import { areaMm2, changeBetween, volumeMm3 } from './measurement.util';

describe('derived size figures', () => {
  it.each([
    ['a 10 × 8 mm oval nodule', 10, 8, 62.83],
    ['a 1 mm speck measured both ways', 1, 1, 0.79],
    ['no perpendicular diameter: no area', 10, null, null],
  ])('area of %s', (_story, a, b, expected) => {
    expect(areaMm2(a, b)).toBe(expected);
  });

  it.each([
    ['a 10 × 8 × 6 mm nodule', 10, 8, 6, 251.33],
    ['depth not measured: no volume', 10, 8, null, null],
    ['perpendicular not measured: no volume', 10, null, 6, null],
  ])('volume of %s', (_story, a, b, c, expected) => {
    expect(volumeMm3(a, b, c)).toBe(expected);
  });

  it.each([
    ['grew 8 → 13 mm', 8, 13, { mm: 5, percent: 62.5 }],
    ['shrank 20 → 14 mm', 20, 14, { mm: -6, percent: -30 }],
    ['unchanged', 12, 12, { mm: 0, percent: 0 }],
  ])('change when it %s', (_story, ref, cur, expected) => {
    expect(changeBetween(ref, cur)).toEqual(expected);
  });
});
