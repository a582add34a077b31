import { describe, expect, it } from '@jest/globals';
import { atLeast, digestDayAt } from './notification-settings';

describe('which severities are mailed', () => {
  it.each([
    ['urgent', 'high', true, 'an urgent alert when the clinic mails high and above'],
    ['high', 'high', true, 'exactly the threshold'],
    ['warning', 'high', false, 'below the threshold'],
    ['info', 'info', true, 'a clinic that mails everything'],
    ['warning', 'urgent', false, 'a clinic that mails only urgent alerts'],
  ] as [string, 'info' | 'warning' | 'high' | 'urgent', boolean, string][])('%s against %s → %s (%s)', (severity, min, expected) => {
    expect(atLeast(severity, min)).toBe(expected);
  });
});

describe('the digest hour', () => {
  it.each([
    ['2026-03-02T07:00:00Z', 7, '2026-03-02', 'on the hour'],
    ['2026-03-02T07:59:59Z', 7, '2026-03-02', 'late in the hour'],
    ['2026-03-02T08:00:00Z', 7, null, 'an hour late: a catch-up is never sent'],
    ['2026-03-02T06:59:59Z', 7, null, 'before the hour'],
    ['2026-03-02T00:30:00Z', 0, '2026-03-02', 'midnight UTC'],
  ] as [string, number, string | null, string][])('%s with DIGEST_HOUR=%i → %s (%s)', (now, hour, day) => {
    expect(digestDayAt(new Date(now), hour)).toBe(day);
  });
});
