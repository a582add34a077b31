// The DEPOSIT_GROWTH test, shared with TREATMENT_FAILURE. The current reading is compared with the
// nadir of the reference readings (RECIST: increases add up across visits). At the high level
// (growthHighPercent and growthHighMm) it passes on its own; at the ordinary level it must be
// confirmed by a rising least-squares trend over all given same-class readings when
// `trendConfirmation` is on (fewer than 3 readings: not confirmed).

import { evidenceNumber, formatChange, formatMm } from './format';
import { smallestOf } from './history';
import { meetsIncrease, sizeChange, type SizeChange } from './size-change';
import { isRisingTrend, linearTrend, type Trend } from './trend';
import type { EvaluationPoint, RuleSettings } from './types';

export type GrowthLevel = 'warning' | 'high';

export interface GrowthAssessment {
  nadir: EvaluationPoint;
  current: EvaluationPoint;
  change: SizeChange;
  trend: Trend | null;
  /** null: the growth does not pass. */
  level: GrowthLevel | null;
}

export interface GrowthInput {
  /** Same-class readings the nadir is taken from (the current one excluded). */
  references: EvaluationPoint[];
  current: EvaluationPoint;
  /** Same-class readings the trend runs through, the current one included. */
  trendPoints: EvaluationPoint[];
}

function growthLevel(change: SizeChange, trend: Trend | null, settings: RuleSettings): GrowthLevel | null {
  const noiseFloorMm = settings.noiseFloorMm;
  if (meetsIncrease(change, { percent: settings.growthHighPercent, mm: settings.growthHighMm, noiseFloorMm })) {
    return 'high';
  }
  if (!meetsIncrease(change, { percent: settings.growthPercent, mm: settings.growthMm, noiseFloorMm })) return null;
  const confirmed = !settings.trendConfirmation || isRisingTrend(trend, settings.trendMinT);
  return confirmed ? 'warning' : null;
}

/** null when there is no reference reading to compare with. */
export function assessGrowth(input: GrowthInput, settings: RuleSettings): GrowthAssessment | null {
  const nadir = smallestOf(input.references);
  if (nadir === null) return null;
  const change = sizeChange(nadir.longestDiameterMm, input.current.longestDiameterMm);
  const trend = linearTrend(input.trendPoints.map((point) => ({ date: point.visitDate, mm: point.longestDiameterMm })));
  return { nadir, current: input.current, change, trend, level: growthLevel(change, trend, settings) };
}

export function growthThresholdEvidence(settings: RuleSettings): Record<string, unknown> {
  return {
    growthPercent: settings.growthPercent,
    growthMm: settings.growthMm,
    growthHighPercent: settings.growthHighPercent,
    growthHighMm: settings.growthHighMm,
    noiseFloorMm: settings.noiseFloorMm,
    trendConfirmation: settings.trendConfirmation,
    trendMinT: settings.trendMinT,
  };
}

export function trendEvidence(trend: Trend | null): Record<string, unknown> {
  if (trend === null) return { slopeMmPerYear: null, t: null, trendPoints: null };
  return { slopeMmPerYear: evidenceNumber(trend.slopeMmPerYear), t: evidenceNumber(trend.t), trendPoints: trend.n };
}

/** "R index pulp grew from 8 mm (nadir, 2025-01-10) to 13 mm (+5 mm, +62 %) by caliper" */
export function describeGrowth(label: string, growth: GrowthAssessment): string {
  const { nadir, current, change } = growth;
  return (
    `${label} grew from ${formatMm(nadir.longestDiameterMm)} mm (nadir, ${nadir.visitDate}) ` +
    `to ${formatMm(current.longestDiameterMm)} mm (${formatChange(change.mm, change.percent)}) by ${current.method}`
  );
}
