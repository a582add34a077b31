// A clinic's rule thresholds. Every number of the SPEC's rule table is a setting; the ranges are
// sensible clinical bounds the HTTP layer validates a PUT against.

export interface RuleSettings {
  noiseFloorMm: number;
  growthPercent: number;
  growthMm: number;
  growthHighPercent: number;
  growthHighMm: number;
  trendConfirmation: boolean;
  trendMinT: number;
  burdenGrowthPercent: number;
  burdenGrowthMm: number;
  migrationMm: number;
  migrationHighMm: number;
  painIncreasePoints: number;
  painIncreasePercent: number;
  painHighPoints: number;
  painHighPercent: number;
  /** PAIN_INCREASE, MIGRATION and TREATMENT_FAILURE's pain test need confirming readings (SPEC "Reading confirmation"). */
  readingConfirmation: boolean;
  tier1MinMonths: number;
  tier2MinMonths: number;
  tier3MinMonths: number;
  correctedCalciumMaxMgDl: number;
  caPhosWarning: number;
  caPhosHigh: number;
  overdueMonths: number;
  overdueMonthsOnTreatment: number;
  regressionPercent: number;
}

export type BooleanRuleSettingKey = 'trendConfirmation' | 'readingConfirmation';

export type NumericRuleSettingKey = Exclude<keyof RuleSettings, BooleanRuleSettingKey>;

export const BOOLEAN_RULE_SETTING_KEYS: readonly BooleanRuleSettingKey[] = ['trendConfirmation', 'readingConfirmation'];

export interface SettingRange {
  min: number;
  max: number;
  /** Whole numbers only (month counts). */
  integer: boolean;
}

export const DEFAULT_RULE_SETTINGS: Readonly<RuleSettings> = Object.freeze({
  noiseFloorMm: 2,
  growthPercent: 20,
  growthMm: 5,
  growthHighPercent: 50,
  growthHighMm: 10,
  trendConfirmation: true,
  trendMinT: 2,
  burdenGrowthPercent: 20,
  burdenGrowthMm: 5,
  migrationMm: 10,
  migrationHighMm: 20,
  painIncreasePoints: 2,
  painIncreasePercent: 30,
  painHighPoints: 4,
  painHighPercent: 50,
  readingConfirmation: true,
  tier1MinMonths: 4,
  tier2MinMonths: 6,
  tier3MinMonths: 3,
  correctedCalciumMaxMgDl: 10.2,
  caPhosWarning: 55,
  caPhosHigh: 70,
  overdueMonths: 12,
  overdueMonthsOnTreatment: 6,
  regressionPercent: 30,
});

const percent = { min: 1, max: 500, integer: false };
const mm = { min: 0, max: 100, integer: false };
const months = { min: 1, max: 60, integer: true };

export const RULE_SETTINGS_RANGES: Readonly<Record<NumericRuleSettingKey, SettingRange>> = Object.freeze({
  noiseFloorMm: { min: 0, max: 20, integer: false },
  growthPercent: percent,
  growthMm: mm,
  growthHighPercent: percent,
  growthHighMm: mm,
  trendMinT: { min: 0, max: 10, integer: false },
  burdenGrowthPercent: percent,
  burdenGrowthMm: mm,
  migrationMm: mm,
  migrationHighMm: mm,
  painIncreasePoints: { min: 1, max: 10, integer: false },
  painIncreasePercent: percent,
  painHighPoints: { min: 1, max: 10, integer: false },
  painHighPercent: percent,
  tier1MinMonths: months,
  tier2MinMonths: months,
  tier3MinMonths: months,
  correctedCalciumMaxMgDl: { min: 8, max: 14, integer: false },
  caPhosWarning: { min: 20, max: 150, integer: false },
  caPhosHigh: { min: 20, max: 150, integer: false },
  overdueMonths: months,
  overdueMonthsOnTreatment: months,
  // A deposit cannot shrink by more than all of it.
  regressionPercent: { min: 1, max: 100, integer: false },
});

export const NUMERIC_RULE_SETTING_KEYS = Object.keys(RULE_SETTINGS_RANGES) as NumericRuleSettingKey[];

/** Pairs whose "high" threshold must not sit below the ordinary one. */
const ORDERED_PAIRS: ReadonlyArray<[NumericRuleSettingKey, NumericRuleSettingKey]> = [
  ['growthPercent', 'growthHighPercent'],
  ['growthMm', 'growthHighMm'],
  ['caPhosWarning', 'caPhosHigh'],
  ['painIncreasePoints', 'painHighPoints'],
  ['painIncreasePercent', 'painHighPercent'],
  ['migrationMm', 'migrationHighMm'],
];

export interface RuleSettingsProblem {
  field: keyof RuleSettings;
  message: string;
}

function rangeProblem(key: NumericRuleSettingKey, value: unknown): RuleSettingsProblem | null {
  const range = RULE_SETTINGS_RANGES[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { field: key, message: `${key} must be a number` };
  }
  if (range.integer && !Number.isInteger(value)) {
    return { field: key, message: `${key} must be a whole number` };
  }
  if (value < range.min || value > range.max) {
    return { field: key, message: `${key} must be between ${range.min} and ${range.max}` };
  }
  return null;
}

/** Every problem of a complete settings object; an empty list means it is valid. */
export function validateRuleSettings(settings: RuleSettings): RuleSettingsProblem[] {
  const problems = NUMERIC_RULE_SETTING_KEYS.map((key) => rangeProblem(key, settings[key])).filter(
    (problem): problem is RuleSettingsProblem => problem !== null,
  );
  for (const key of BOOLEAN_RULE_SETTING_KEYS) {
    if (typeof settings[key] !== 'boolean') problems.push({ field: key, message: `${key} must be a boolean` });
  }
  const invalid = new Set(problems.map((problem) => problem.field));
  for (const [low, high] of ORDERED_PAIRS) {
    if (!invalid.has(low) && !invalid.has(high) && settings[high] < settings[low]) {
      problems.push({ field: high, message: `${high} must not be below ${low}` });
    }
  }
  return problems;
}
