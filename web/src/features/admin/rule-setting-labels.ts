import fields from '../../api/rule-settings.fields.json';

/** A rule setting as the API documents it (generated from the OpenAPI document: its range and default). */
export interface RuleSettingField {
  key: string;
  type: 'number' | 'integer' | 'boolean';
  minimum?: number;
  maximum?: number;
  description?: string;
}

export const RULE_SETTING_FIELDS = fields as RuleSettingField[];

/** What each setting means to a person; a setting the API adds later shows its key until labelled. */
const LABELS: Record<string, { label: string; group: string; unit?: string }> = {
  noiseFloorMm: { label: 'Noise floor', group: 'Sizes', unit: 'mm' },
  growthPercent: { label: 'Deposit growth over the nadir', group: 'Deposit growth', unit: '%' },
  growthMm: { label: 'Deposit growth over the nadir', group: 'Deposit growth', unit: 'mm' },
  growthHighPercent: { label: 'High growth, no trend needed', group: 'Deposit growth', unit: '%' },
  growthHighMm: { label: 'High growth, no trend needed', group: 'Deposit growth', unit: 'mm' },
  trendConfirmation: { label: 'Growth must be confirmed by a rising trend', group: 'Deposit growth' },
  trendMinT: { label: 'Trend t-statistic at least', group: 'Deposit growth' },
  burdenGrowthPercent: { label: 'Total burden growth', group: 'Burden growth', unit: '%' },
  burdenGrowthMm: { label: 'Total burden growth', group: 'Burden growth', unit: 'mm' },
  migrationMm: { label: 'Migration from the landmark', group: 'Migration', unit: 'mm' },
  migrationHighMm: { label: 'Migration, no confirmation needed', group: 'Migration', unit: 'mm' },
  painIncreasePoints: { label: 'Pain increase', group: 'Pain', unit: 'points' },
  painIncreasePercent: { label: 'Pain increase', group: 'Pain', unit: '%' },
  painHighPoints: { label: 'Pain increase, no confirmation needed', group: 'Pain', unit: 'points' },
  painHighPercent: { label: 'Pain increase, no confirmation needed', group: 'Pain', unit: '%' },
  readingConfirmation: { label: 'Pain and position changes must be confirmed by readings', group: 'Pain' },
  tier1MinMonths: { label: 'Minimum time on tier 1 before a treatment failure', group: 'Treatment failure', unit: 'months' },
  tier2MinMonths: { label: 'Minimum time on tier 2 before a treatment failure', group: 'Treatment failure', unit: 'months' },
  tier3MinMonths: { label: 'Minimum time on tier 3 before a treatment failure', group: 'Treatment failure', unit: 'months' },
  correctedCalciumMaxMgDl: { label: 'Corrected calcium above', group: 'Labs', unit: 'mg/dL' },
  caPhosWarning: { label: 'Ca×P product, warning at', group: 'Labs', unit: 'mg²/dL²' },
  caPhosHigh: { label: 'Ca×P product, high at', group: 'Labs', unit: 'mg²/dL²' },
  overdueMonths: { label: 'Review overdue after', group: 'Overdue review', unit: 'months' },
  overdueMonthsOnTreatment: { label: 'Review overdue on treatment after', group: 'Overdue review', unit: 'months' },
  regressionPercent: { label: 'Regression below baseline', group: 'Regression', unit: '%' },
};

export function labelOf(key: string): { label: string; group: string; unit?: string } {
  return LABELS[key] ?? { label: key, group: 'Other' };
}

export function fieldLabel(key: string): string {
  const l = labelOf(key);
  return l.unit ? `${l.label} (${l.unit})` : l.label;
}
