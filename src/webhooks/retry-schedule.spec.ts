import { describe, expect, it } from '@jest/globals';
import { afterFailure, retryDelaySeconds, type RetrySchedule } from './retry-schedule';

const DEFAULTS: RetrySchedule = { baseSeconds: 30, maxDelaySeconds: 4 * 3600, giveUpAfterSeconds: 24 * 3600 };

describe('the retry schedule of a failing delivery', () => {
  it.each([
    [1, 30, 'the first wait is the base'],
    [2, 60, 'then it doubles'],
    [3, 120, 'and doubles again'],
    [9, 7680, '2 h 8 min after the ninth failure'],
    [10, 14400, 'capped at 4 hours'],
    [60, 14400, 'however many failures'],
  ])('after %i failed attempts waits %i s (%s)', (failed, seconds) => {
    expect(retryDelaySeconds(failed, DEFAULTS)).toBe(seconds);
  });

  it('never waits less than the base, even with a smaller cap', () => {
    expect(retryDelaySeconds(3, { baseSeconds: 600, maxDelaySeconds: 60, giveUpAfterSeconds: 3600 })).toBe(600);
  });

  it('keeps trying for at least 24 hours, then gives up', () => {
    const first = new Date('2026-01-01T00:00:00Z');
    let now = first;
    let failures = 0;
    for (;;) {
      failures += 1;
      const decision = afterFailure(failures, first, now, DEFAULTS);
      if (decision.kind === 'dead') break;
      expect(decision.at.getTime()).toBeGreaterThan(now.getTime());
      now = decision.at;
    }
    expect(now.getTime() - first.getTime()).toBeGreaterThanOrEqual(24 * 3600 * 1000);
    expect(failures).toBe(15);
  });

  it('with a 1-second base (the tests) retries within seconds', () => {
    const schedule = { ...DEFAULTS, baseSeconds: 1 };
    const now = new Date('2026-01-01T00:00:10Z');
    expect(afterFailure(1, new Date('2026-01-01T00:00:09Z'), now, schedule)).toEqual({ kind: 'retry', at: new Date('2026-01-01T00:00:11Z') });
    expect(afterFailure(3, new Date('2026-01-01T00:00:00Z'), now, schedule)).toEqual({ kind: 'retry', at: new Date('2026-01-01T00:00:14Z') });
  });
});
