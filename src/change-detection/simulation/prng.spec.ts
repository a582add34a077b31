import { describe, expect, it } from '@jest/globals';
import { deriveSeed, SeededRandom } from './prng';

describe('the seeded random numbers', () => {
  it('repeat for a seed and differ between seeds', () => {
    const draws = (seed: number) => {
      const random = new SeededRandom(seed);
      return Array.from({ length: 5 }, () => random.next());
    };
    expect(draws(42)).toEqual(draws(42));
    expect(draws(42)).not.toEqual(draws(43));
  });

  it('give uniform numbers in [0, 1) and standard normal deviates', () => {
    const random = new SeededRandom(7);
    const uniform = Array.from({ length: 20_000 }, () => random.next());
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniform)).toBeLessThan(1);
    const normal = Array.from({ length: 20_000 }, () => random.normal());
    const mean = normal.reduce((a, b) => a + b, 0) / normal.length;
    const sd = Math.sqrt(normal.reduce((a, b) => a + (b - mean) ** 2, 0) / normal.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });

  it('draw whole numbers with both ends included', () => {
    const random = new SeededRandom(3);
    const seen = new Set(Array.from({ length: 500 }, () => random.integer(1, 6)));
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('derive distinct seeds for the parts of a run', () => {
    const seeds = new Set(Array.from({ length: 1000 }, (_, i) => deriveSeed(20_251_126, i)));
    expect(seeds.size).toBe(1000);
  });
});
