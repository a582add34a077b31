// Lab values arrive in conventional or SI units and are stored in conventional units (US lab
// reports, KDOQI targets and the LAB_ABNORMAL thresholds are all written in them). Pure: no
// framework, no database.

export const ANALYTES = ['calcium', 'albumin', 'phosphate', 'pth', 'vitaminD', 'egfr'] as const;
export type Analyte = (typeof ANALYTES)[number];

/** Accepted units per analyte; the first one is the conventional unit values are stored in. */
export const LAB_UNITS = {
  calcium: ['mg/dL', 'mmol/L'],
  albumin: ['g/dL', 'g/L'],
  phosphate: ['mg/dL', 'mmol/L'],
  pth: ['pg/mL', 'ng/L', 'pmol/L'],
  vitaminD: ['ng/mL', 'nmol/L'],
  egfr: ['mL/min/1.73m2'],
} as const satisfies Record<Analyte, readonly string[]>;

export type LabUnitOf<A extends Analyte> = (typeof LAB_UNITS)[A][number];

const identity = (v: number) => v;

/** unit → conventional value. */
const CONVERSIONS: { [A in Analyte]: Record<LabUnitOf<A>, (value: number) => number> } = {
  calcium: { 'mg/dL': identity, 'mmol/L': (v) => v * 4.008 },
  albumin: { 'g/dL': identity, 'g/L': (v) => v / 10 },
  phosphate: { 'mg/dL': identity, 'mmol/L': (v) => v * 3.097 },
  pth: { 'pg/mL': identity, 'ng/L': identity, 'pmol/L': (v) => v * 9.43 },
  vitaminD: { 'ng/mL': identity, 'nmol/L': (v) => v / 2.496 },
  egfr: { 'mL/min/1.73m2': identity },
};

/**
 * Plausible values in conventional units, bounds included. Wider than any reference range: they
 * catch a wrong unit or a typo (2.6 entered as mg/dL, 104 for 10.4), never an abnormal result.
 */
export const PLAUSIBLE_RANGES: Record<Analyte, { min: number; max: number }> = {
  calcium: { min: 1, max: 25 },
  albumin: { min: 0.5, max: 8 },
  phosphate: { min: 0.3, max: 25 },
  pth: { min: 0, max: 10000 },
  vitaminD: { min: 0, max: 400 },
  egfr: { min: 0, max: 250 },
};

export interface LabValueInput {
  value: number;
  unit: string;
}

export type LabValuesInput = { [A in Analyte]?: LabValueInput | null };

export interface ConventionalLabs {
  calciumMgDl: number | null;
  albuminGDl: number | null;
  phosphateMgDl: number | null;
  pthPgMl: number | null;
  vitaminDNgMl: number | null;
  egfrMlMin173m2: number | null;
  /** Ca + 0.8 × (4.0 − albumin g/dL), when both are given. */
  correctedCalciumMgDl: number | null;
  /** total Ca (mg/dL) × phosphate (mg/dL), mg²/dL², when both are given. */
  calciumPhosphateProduct: number | null;
  /** What was typed, with its unit: only the analytes given. */
  entered: Partial<Record<Analyte, LabValueInput>>;
}

export interface LabProblem {
  /** e.g. `calcium.value` */
  field: string;
  message: string;
}

export class LabInputError extends Error {
  constructor(readonly problems: LabProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.name = 'LabInputError';
  }
}

/** Two decimals; the tiny nudge keeps 1.005 from rounding down through its binary representation. */
export function roundLab(value: number): number {
  return Math.round(value * 100 * (1 + 1e-12)) / 100;
}

export function isLabUnit<A extends Analyte>(analyte: A, unit: unknown): unit is LabUnitOf<A> {
  return typeof unit === 'string' && (LAB_UNITS[analyte] as readonly string[]).includes(unit);
}

/** The value in conventional units (unrounded), or null when the unit is not one of the analyte's. */
export function convertLabValue(analyte: Analyte, value: number, unit: string): number | null {
  if (!isLabUnit(analyte, unit)) return null;
  const convert = (CONVERSIONS[analyte] as Record<string, (v: number) => number>)[unit];
  return convert(value);
}

export function conventionalUnitOf(analyte: Analyte): string {
  return LAB_UNITS[analyte][0];
}

function formatNumber(value: number): string {
  return String(roundLab(value));
}

/**
 * Why a (finite) value in a known unit is implausible, or null when it is plausible. The message
 * shows the converted value, since the range is in conventional units.
 */
export function implausibilityOf(analyte: Analyte, value: number, unit: string): string | null {
  const converted = convertLabValue(analyte, value, unit);
  if (converted === null) return null;
  const { min, max } = PLAUSIBLE_RANGES[analyte];
  if (converted >= min && converted <= max) return null;
  const conventional = conventionalUnitOf(analyte);
  const shown = unit === conventional ? `${formatNumber(value)} ${unit}` : `${formatNumber(value)} ${unit} = ${formatNumber(converted)} ${conventional}`;
  return `must be between ${min} and ${max} ${conventional} (got ${shown}); check the value and its unit`;
}

function given(input: LabValuesInput, analyte: Analyte): LabValueInput | null {
  return input[analyte] ?? null;
}

/** Every problem of a lab input: no analyte, an unknown unit, a missing or non-finite value, an implausible value. */
export function labInputProblems(input: LabValuesInput): LabProblem[] {
  const problems: LabProblem[] = [];
  const present = ANALYTES.filter((a) => given(input, a) !== null);
  if (present.length === 0) {
    problems.push({ field: 'calcium', message: `or another analyte is required: a lab result needs at least one of ${ANALYTES.join(', ')}` });
  }
  for (const analyte of present) {
    const { value, unit } = given(input, analyte)!;
    const unitOk = isLabUnit(analyte, unit);
    if (!unitOk) problems.push({ field: `${analyte}.unit`, message: `must be one of ${LAB_UNITS[analyte].join(', ')}` });
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push({ field: `${analyte}.value`, message: 'must be a finite number' });
    } else if (unitOk) {
      const why = implausibilityOf(analyte, value, unit);
      if (why) problems.push({ field: `${analyte}.value`, message: why });
    }
  }
  return problems;
}

/**
 * Stored values in conventional units, rounded to 2 decimals, plus the derived values. The derived
 * values are computed from the rounded stored values, so a reader can recompute them from the
 * response. Throws LabInputError naming every bad field.
 */
export function toConventional(input: LabValuesInput): ConventionalLabs {
  const problems = labInputProblems(input);
  if (problems.length) throw new LabInputError(problems);

  const entered: Partial<Record<Analyte, LabValueInput>> = {};
  const stored = {} as Record<Analyte, number | null>;
  for (const analyte of ANALYTES) {
    const v = given(input, analyte);
    if (v === null) {
      stored[analyte] = null;
      continue;
    }
    entered[analyte] = { value: v.value, unit: v.unit };
    stored[analyte] = roundLab(convertLabValue(analyte, v.value, v.unit)!);
  }

  const { calcium, albumin, phosphate } = stored;
  return {
    calciumMgDl: calcium,
    albuminGDl: albumin,
    phosphateMgDl: phosphate,
    pthPgMl: stored.pth,
    vitaminDNgMl: stored.vitaminD,
    egfrMlMin173m2: stored.egfr,
    correctedCalciumMgDl: calcium !== null && albumin !== null ? roundLab(calcium + 0.8 * (4.0 - albumin)) : null,
    calciumPhosphateProduct: calcium !== null && phosphate !== null ? roundLab(calcium * phosphate) : null,
    entered,
  };
}
