/** Derived size figures of an evaluation (SPEC: area π/4·a·b, volume π/6·a·b·c, where measured). */
export function areaMm2(longestMm: number, perpendicularMm: number | null): number | null {
  if (perpendicularMm === null) return null;
  return round((Math.PI / 4) * longestMm * perpendicularMm, 2);
}

export function volumeMm3(longestMm: number, perpendicularMm: number | null, depthMm: number | null): number | null {
  if (perpendicularMm === null || depthMm === null) return null;
  return round((Math.PI / 6) * longestMm * perpendicularMm * depthMm, 2);
}

export function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** Change from a reference size, in mm and % of the reference. */
export function changeBetween(referenceMm: number, currentMm: number): { mm: number; percent: number } {
  return { mm: round(currentMm - referenceMm, 2), percent: round(((currentMm - referenceMm) / referenceMm) * 100, 1) };
}
