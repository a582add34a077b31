import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsNumber, Max, Min } from 'class-validator';
import { DEFAULT_RULE_SETTINGS, RULE_SETTINGS_RANGES, type NumericRuleSettingKey, type RuleSettings } from '../../change-detection/rule-settings';
import { IsOmittable } from '../../common/validation/validators';

function rangeText(key: NumericRuleSettingKey): string {
  const { min, max, integer } = RULE_SETTINGS_RANGES[key];
  return `${min}–${max}${integer ? ', whole number' : ''}; default ${DEFAULT_RULE_SETTINGS[key]}`;
}

/** A numeric threshold in a response: its range comes from RULE_SETTINGS_RANGES, so the document never drifts. */
function SettingValue(): PropertyDecorator {
  return (target, property) => {
    const key = property as NumericRuleSettingKey;
    const { min, max, integer } = RULE_SETTINGS_RANGES[key];
    ApiProperty({ type: integer ? 'integer' : 'number', minimum: min, maximum: max, description: rangeText(key) })(target, property);
  };
}

/** A numeric threshold in a PUT: may be left out; when given, a finite number within its range (whole when it counts months). */
function SettingInput(): PropertyDecorator {
  return (target, property) => {
    const key = property as NumericRuleSettingKey;
    const { min, max, integer } = RULE_SETTINGS_RANGES[key];
    ApiPropertyOptional({ type: integer ? 'integer' : 'number', minimum: min, maximum: max, description: rangeText(key) })(target, property);
    IsOmittable()(target, property as string);
    IsNumber({ allowNaN: false, allowInfinity: false })(target, property as string);
    if (integer) IsInt()(target, property as string);
    Min(min)(target, property as string);
    Max(max)(target, property as string);
  };
}

const READING_CONFIRMATION =
  'PAIN_INCREASE and MIGRATION compare with the median of earlier readings and need two readings in a row past the threshold ' +
  `(one past painHighPoints/painHighPercent or migrationHighMm fires at once); default ${DEFAULT_RULE_SETTINGS.readingConfirmation}`;

/** Every threshold of a clinic's rules (the SPEC's rule table). */
export class RuleSettingsValuesDto implements RuleSettings {
  @SettingValue() noiseFloorMm: number;
  @SettingValue() growthPercent: number;
  @SettingValue() growthMm: number;
  @SettingValue() growthHighPercent: number;
  @SettingValue() growthHighMm: number;
  @ApiProperty({ description: `DEPOSIT_GROWTH needs a rising trend line; default ${DEFAULT_RULE_SETTINGS.trendConfirmation}` }) trendConfirmation: boolean;
  @SettingValue() trendMinT: number;
  @SettingValue() burdenGrowthPercent: number;
  @SettingValue() burdenGrowthMm: number;
  @SettingValue() migrationMm: number;
  @SettingValue() migrationHighMm: number;
  @SettingValue() painIncreasePoints: number;
  @SettingValue() painIncreasePercent: number;
  @SettingValue() painHighPoints: number;
  @SettingValue() painHighPercent: number;
  @ApiProperty({ description: READING_CONFIRMATION }) readingConfirmation: boolean;
  @SettingValue() tier1MinMonths: number;
  @SettingValue() tier2MinMonths: number;
  @SettingValue() tier3MinMonths: number;
  @SettingValue() correctedCalciumMaxMgDl: number;
  @SettingValue() caPhosWarning: number;
  @SettingValue() caPhosHigh: number;
  @SettingValue() overdueMonths: number;
  @SettingValue() overdueMonthsOnTreatment: number;
  @SettingValue() regressionPercent: number;
}

export class RuleSettingsDto {
  @ApiProperty({ minimum: 1, description: 'alerts record the version that raised them' }) version: number;
  @ApiProperty({ type: () => RuleSettingsValuesDto }) settings: RuleSettingsValuesDto;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) createdAt: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the admin who wrote this version; null for the defaults' }) createdBy: string | null;
}

/** Any subset of the thresholds; the rest keep their current value. Unknown keys are refused. */
export class UpdateRuleSettingsDto implements Partial<RuleSettings> {
  @SettingInput() noiseFloorMm?: number;
  @SettingInput() growthPercent?: number;
  @SettingInput() growthMm?: number;
  @SettingInput() growthHighPercent?: number;
  @SettingInput() growthHighMm?: number;
  @ApiPropertyOptional({ description: `DEPOSIT_GROWTH needs a rising trend line; default ${DEFAULT_RULE_SETTINGS.trendConfirmation}` })
  @IsOmittable()
  @IsBoolean()
  trendConfirmation?: boolean;
  @SettingInput() trendMinT?: number;
  @SettingInput() burdenGrowthPercent?: number;
  @SettingInput() burdenGrowthMm?: number;
  @SettingInput() migrationMm?: number;
  @SettingInput() migrationHighMm?: number;
  @SettingInput() painIncreasePoints?: number;
  @SettingInput() painIncreasePercent?: number;
  @SettingInput() painHighPoints?: number;
  @SettingInput() painHighPercent?: number;
  @ApiPropertyOptional({ description: READING_CONFIRMATION })
  @IsOmittable()
  @IsBoolean()
  readingConfirmation?: boolean;
  @SettingInput() tier1MinMonths?: number;
  @SettingInput() tier2MinMonths?: number;
  @SettingInput() tier3MinMonths?: number;
  @SettingInput() correctedCalciumMaxMgDl?: number;
  @SettingInput() caPhosWarning?: number;
  @SettingInput() caPhosHigh?: number;
  @SettingInput() overdueMonths?: number;
  @SettingInput() overdueMonthsOnTreatment?: number;
  @SettingInput() regressionPercent?: number;
}

/** Compile-time guard: a key added to RuleSettings must be added to the PUT body too. */
type MissingFromUpdate = Exclude<keyof RuleSettings, keyof UpdateRuleSettingsDto>;
export const UPDATE_DTO_IS_COMPLETE: [MissingFromUpdate] extends [never] ? true : never = true;

export class RuleSettingsVersionPageDto {
  @ApiProperty({ type: () => [RuleSettingsDto], description: 'newest first' }) items: RuleSettingsDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
