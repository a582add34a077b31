import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_RULE_SETTINGS,
  NUMERIC_RULE_SETTING_KEYS,
  RULE_SETTINGS_RANGES,
  validateRuleSettings,
  type RuleSettings,
} from './rule-settings';

describe('rule settings', () => {
  it('keeps the SPEC defaults', () => {
    expect(DEFAULT_RULE_SETTINGS).toMatchObject({
      noiseFloorMm: 2,
      growthPercent: 20,
      growthMm: 5,
      growthHighPercent: 50,
      growthHighMm: 10,
      trendConfirmation: true,
      trendMinT: 2,
      correctedCalciumMaxMgDl: 10.2,
      caPhosWarning: 55,
      caPhosHigh: 70,
      overdueMonths: 12,
      overdueMonthsOnTreatment: 6,
      regressionPercent: 30,
      readingConfirmation: true,
      painHighPoints: 4,
      painHighPercent: 50,
      migrationHighMm: 20,
    });
  });

  it('has a range for every numeric setting, and every default sits inside it', () => {
    expect(NUMERIC_RULE_SETTING_KEYS).toHaveLength(23);
    for (const key of NUMERIC_RULE_SETTING_KEYS) {
      const { min, max } = RULE_SETTINGS_RANGES[key];
      expect(DEFAULT_RULE_SETTINGS[key]).toBeGreaterThanOrEqual(min);
      expect(DEFAULT_RULE_SETTINGS[key]).toBeLessThanOrEqual(max);
    }
  });

  it.each<{ story: string; change: Partial<Record<keyof RuleSettings, unknown>>; fields: string[] }>([
    { story: 'the defaults are valid', change: {}, fields: [] },
    { story: 'a growth threshold of 0 % is rejected', change: { growthPercent: 0 }, fields: ['growthPercent'] },
    { story: 'half a month is rejected', change: { tier1MinMonths: 4.5 }, fields: ['tier1MinMonths'] },
    { story: 'a text where a number belongs is rejected', change: { growthMm: '5' }, fields: ['growthMm'] },
    { story: 'a high Ca×P below the warning one is rejected', change: { caPhosHigh: 50 }, fields: ['caPhosHigh'] },
    { story: 'a high growth below the ordinary one is rejected', change: { growthHighMm: 4 }, fields: ['growthHighMm'] },
    { story: 'a regression beyond 100 % is rejected', change: { regressionPercent: 120 }, fields: ['regressionPercent'] },
    { story: 'a non-boolean trend switch is rejected', change: { trendConfirmation: 'yes' }, fields: ['trendConfirmation'] },
    { story: 'a non-boolean reading-confirmation switch is rejected', change: { readingConfirmation: 1 }, fields: ['readingConfirmation'] },
    { story: 'an immediate pain rise of 3 points below the ordinary 4 is rejected', change: { painIncreasePoints: 4, painHighPoints: 3 }, fields: ['painHighPoints'] },
    { story: 'an ordinary pain percent above the immediate one is rejected', change: { painIncreasePercent: 60 }, fields: ['painHighPercent'] },
    { story: 'an immediate move of 15 mm below an ordinary 16 mm is rejected', change: { migrationMm: 16, migrationHighMm: 15 }, fields: ['migrationHighMm'] },
    { story: 'immediate thresholds equal to the ordinary ones are allowed', change: { painHighPoints: 2, painHighPercent: 30, migrationHighMm: 10 }, fields: [] },
    { story: 'an immediate pain rise of 11 points is off the scale', change: { painHighPoints: 11 }, fields: ['painHighPoints'] },
  ])('$story', ({ change, fields }) => {
    const candidate = { ...DEFAULT_RULE_SETTINGS, ...change } as RuleSettings;
    expect(validateRuleSettings(candidate).map((problem) => problem.field)).toEqual(fields);
  });
});
