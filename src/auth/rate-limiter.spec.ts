import { describe, expect, it } from '@jest/globals';
import { RateLimiter } from './rate-limiter';

describe('the per-user request limit', () => {
  it('allows the limit, refuses the next with the seconds left, and opens again in the next window', () => {
    let now = 0;
    const limiter = new RateLimiter(3, 60_000, () => now);
    expect([limiter.take('u'), limiter.take('u'), limiter.take('u')]).toEqual([0, 0, 0]);
    now = 45_000;
    expect(limiter.take('u')).toBe(15);
    expect(limiter.take('other')).toBe(0);
    now = 60_000;
    expect(limiter.take('u')).toBe(0);
  });
});
