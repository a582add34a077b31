// Pure helpers on 'YYYY-MM-DD' strings, computed in UTC so no time zone can shift a day.
// Malformed dates throw a RangeError: they are a caller bug, not a clinical situation.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;
const DAYS_PER_YEAR = 365.25;

export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

// The rules compare the same few dates over and over (the simulator millions of times): parsed
// dates are remembered, within a bound so a long-running service does not grow.
const PARSED = new Map<string, number>();
const PARSED_MAX = 10_000;

function toUtcMs(value: string): number {
  const known = PARSED.get(value);
  if (known !== undefined) return known;
  if (!isIsoDate(value)) throw new RangeError(`not a YYYY-MM-DD date: ${value}`);
  const [year, month, day] = value.split('-').map(Number);
  const ms = Date.UTC(year, month - 1, day);
  if (PARSED.size >= PARSED_MAX) PARSED.clear();
  PARSED.set(value, ms);
  return ms;
}

function fromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromUtcMs(toUtcMs(date) + days * MS_PER_DAY);
}

/** Calendar months; the day is clamped to the target month's end (2025-01-31 + 1 → 2025-02-28). */
export function addMonths(date: string, months: number): string {
  const start = new Date(toUtcMs(date));
  const targetMonth = start.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(start.getUTCFullYear(), targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(start.getUTCDate(), lastDay);
  return fromUtcMs(Date.UTC(start.getUTCFullYear(), targetMonth, day));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / MS_PER_DAY);
}

/** Years from `from` to `to`, as Julian years of 365.25 days. */
export function yearsBetween(from: string, to: string): number {
  return daysBetween(from, to) / DAYS_PER_YEAR;
}

/** Completed calendar months from `from` to `to` (0 when `to` is earlier). */
export function wholeMonthsBetween(from: string, to: string): number {
  let months = 0;
  while (compareDates(addMonths(from, months + 1), to) <= 0) months += 1;
  return months;
}

export function compareDates(a: string, b: string): -1 | 0 | 1 {
  const diff = toUtcMs(a) - toUtcMs(b);
  return diff < 0 ? -1 : diff > 0 ? 1 : 0;
}

export function isOnOrBefore(a: string, b: string): boolean {
  return compareDates(a, b) <= 0;
}

export function isOnOrAfter(a: string, b: string): boolean {
  return compareDates(a, b) >= 0;
}
