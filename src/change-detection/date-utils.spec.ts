import { describe, expect, it } from '@jest/globals';
import {
  addDays,
  addMonths,
  compareDates,
  daysBetween,
  isIsoDate,
  isOnOrAfter,
  isOnOrBefore,
  wholeMonthsBetween,
  yearsBetween,
} from './date-utils';

describe('date-utils', () => {
  it.each([
    ['a plain date', '2025-03-01', true],
    ['a leap day', '2024-02-29', true],
    ['a leap day in a common year', '2025-02-29', false],
    ['a month 13', '2025-13-01', false],
    ['a timestamp', '2025-03-01T10:00:00Z', false],
    ['an empty string', '', false],
    ['a slashed date', '2025/03/01', false],
  ])('isIsoDate: %s', (_story, value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });

  it.each([
    ['adds across a month end', '2025-01-30', 3, '2025-02-02'],
    ['adds across a year end', '2024-12-31', 1, '2025-01-01'],
    ['adds across a leap day', '2024-02-28', 1, '2024-02-29'],
    ['subtracts', '2025-03-01', -1, '2025-02-28'],
    ['thirty-day procedure tail', '2025-01-15', 30, '2025-02-14'],
  ])('addDays %s', (_story, date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it.each([
    ['adds four months', '2025-01-10', 4, '2025-05-10'],
    ['clamps to the end of a short month', '2025-01-31', 1, '2025-02-28'],
    ['clamps to a leap day', '2024-01-31', 1, '2024-02-29'],
    ['crosses a year', '2024-11-15', 3, '2025-02-15'],
    ['goes back', '2025-03-31', -1, '2025-02-28'],
  ])('addMonths %s', (_story, date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('counts days and years between dates, negative when reversed', () => {
    expect(daysBetween('2025-01-01', '2025-03-01')).toBe(59);
    expect(daysBetween('2025-03-01', '2025-01-01')).toBe(-59);
    expect(yearsBetween('2024-01-01', '2025-01-01')).toBeCloseTo(366 / 365.25, 10);
  });

  it.each([
    ['a day short of a month', '2025-01-10', '2025-02-09', 0],
    ['exactly one month', '2025-01-10', '2025-02-10', 1],
    ['five months and a bit', '2025-01-10', '2025-06-20', 5],
    ['an earlier end', '2025-06-10', '2025-01-10', 0],
  ])('wholeMonthsBetween: %s', (_story, from, to, expected) => {
    expect(wholeMonthsBetween(from, to)).toBe(expected);
  });

  it('compares dates in calendar order', () => {
    expect(compareDates('2025-01-09', '2025-01-10')).toBe(-1);
    expect(compareDates('2025-01-10', '2025-01-10')).toBe(0);
    expect(compareDates('2026-01-01', '2025-12-31')).toBe(1);
    expect(isOnOrBefore('2025-01-10', '2025-01-10')).toBe(true);
    expect(isOnOrAfter('2025-01-09', '2025-01-10')).toBe(false);
  });

  it('rejects a malformed date instead of guessing', () => {
    expect(() => addDays('10/01/2025', 1)).toThrow(RangeError);
    expect(() => compareDates('2025-02-30', '2025-03-01')).toThrow(RangeError);
  });
});
