// Least-squares line of size (mm) against time (years since the first point), with the
// t-statistic of its slope (slope ÷ its standard error, n − 2 degrees of freedom).
// Decisions: fewer than 3 points, or all points on one date (no time spread), give null — no trend
// can be computed. A perfect fit has a standard error of 0: t is then +Infinity for a rising line,
// −Infinity for a falling one and 0 for a flat one.

import { yearsBetween } from './date-utils';

export interface TrendPoint {
  date: string;
  mm: number;
}

export interface Trend {
  slopeMmPerYear: number;
  interceptMm: number;
  standardError: number;
  t: number;
  n: number;
}

export const MIN_TREND_POINTS = 3;

// Relative tolerance below which floating-point dust is treated as exactly zero, so that readings
// like 10.1, 10.1, 10.1 count as flat and a perfect line as a perfect fit.
const RELATIVE_EPSILON = 1e-12;

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function tStatistic(slope: number, standardError: number): number {
  if (standardError > 0) return slope / standardError;
  if (slope > 0) return Number.POSITIVE_INFINITY;
  return slope < 0 ? Number.NEGATIVE_INFINITY : 0;
}

export function linearTrend(points: TrendPoint[]): Trend | null {
  const n = points.length;
  if (n < MIN_TREND_POINTS) return null;
  const xs = points.map((point) => yearsBetween(points[0].date, point.date));
  const ys = points.map((point) => point.mm);
  const xMean = mean(xs);
  const yMean = mean(ys);
  const sxx = xs.reduce((sum, x) => sum + (x - xMean) ** 2, 0);
  if (sxx === 0) return null;
  const syy = ys.reduce((sum, y) => sum + (y - yMean) ** 2, 0);
  const scale = ys.reduce((sum, y) => sum + y * y, 0);
  if (syy <= RELATIVE_EPSILON * scale) {
    return { slopeMmPerYear: 0, interceptMm: yMean, standardError: 0, t: 0, n };
  }
  const sxy = xs.reduce((sum, x, i) => sum + (x - xMean) * (ys[i] - yMean), 0);
  const slope = sxy / sxx;
  const intercept = yMean - slope * xMean;
  const sse = xs.reduce((sum, x, i) => sum + (ys[i] - (intercept + slope * x)) ** 2, 0);
  const residualSse = sse <= RELATIVE_EPSILON * syy ? 0 : sse;
  const standardError = Math.sqrt(residualSse / (n - 2) / sxx);
  return { slopeMmPerYear: slope, interceptMm: intercept, standardError, t: tStatistic(slope, standardError), n };
}

/** A rising trend whose t-statistic is above `minT`. */
export function isRisingTrend(trend: Trend | null, minT: number): boolean {
  return trend !== null && trend.slopeMmPerYear > 0 && trend.t > minT;
}
