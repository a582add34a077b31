// Change of a size between a reference and the current reading, and threshold checks that are
// tolerant to floating-point dust (8.1 → 13.1 is +5 mm, not +4.999999 mm).

export interface SizeChange {
  mm: number;
  /** null when the reference is 0 mm (any growth from nothing passes a percent threshold). */
  percent: number | null;
}

const TOLERANCE = 1e-9;

export function sizeChange(fromMm: number, toMm: number): SizeChange {
  const mm = toMm - fromMm;
  return { mm, percent: fromMm === 0 ? null : (mm / fromMm) * 100 };
}

export function atLeast(value: number, threshold: number): boolean {
  return value >= threshold - TOLERANCE;
}

export interface ChangeThresholds {
  percent: number;
  mm: number;
  noiseFloorMm: number;
}

/** A rise that reaches both thresholds and the noise floor. */
export function meetsIncrease(change: SizeChange, thresholds: ChangeThresholds): boolean {
  return (
    change.mm > TOLERANCE &&
    atLeast(change.mm, thresholds.mm) &&
    atLeast(change.mm, thresholds.noiseFloorMm) &&
    (change.percent === null || atLeast(change.percent, thresholds.percent))
  );
}

/** A fall that reaches the percent threshold and the noise floor. */
export function meetsDecrease(change: SizeChange, percent: number, noiseFloorMm: number): boolean {
  return (
    change.percent !== null &&
    change.mm < -TOLERANCE &&
    atLeast(-change.mm, noiseFloorMm) &&
    atLeast(-change.percent, percent)
  );
}
