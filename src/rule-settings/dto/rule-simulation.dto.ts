import { ApiProperty } from '@nestjs/swagger';
import { COHORT_KINDS, type CohortKind } from '../../change-detection/simulation/cohort';
import type { SensitivityWindow } from '../../change-detection/simulation/simulate';
import { RULE_CODES, type RuleCode } from '../../change-detection/types';
import { RuleSettingsValuesDto } from './rule-settings.dto';

export class SimulationPatientsDto {
  @ApiProperty({ minimum: 0, description: 'patients in whom nothing changes (the false-alert figures are theirs)' }) unchanged: number;
  @ApiProperty({ minimum: 0, description: 'patients whose every deposit grows from the first visit' }) growing: number;
  @ApiProperty({ minimum: 0, description: 'patients whose every deposit hurts more from one visit on' }) painRising: number;
  @ApiProperty({ minimum: 0, description: 'patients whose every deposit moves from one visit on' }) moving: number;
}

export class SimulationNoiseDto {
  @ApiProperty({ description: 'size error, % of the size (one SD)' }) sizePercent: number;
  @ApiProperty({ description: 'size error added to that, mm (one SD)' }) sizeMm: number;
  @ApiProperty({ description: 'pain score error, points (one SD); readings are whole points within 0–10' }) painSd: number;
  @ApiProperty({ description: 'position error per axis, mm (one SD)' }) landmarkSdMm: number;
}

export class SimulationChangeDto {
  @ApiProperty() growthPercentPerYear: number;
  @ApiProperty() painRisePoints: number;
  @ApiProperty() moveMm: number;
  @ApiProperty({ description: 'the change happens at a visit drawn from fromVisit to toVisit (0 = the first visit)' }) fromVisit: number;
  @ApiProperty() toVisit: number;
}

export class SimulationCohortDto {
  @ApiProperty({ description: 'the same seed on every request: the candidate and the current settings meet the same patients' }) seed: number;
  @ApiProperty({ type: () => SimulationPatientsDto }) patients: SimulationPatientsDto;
  @ApiProperty() depositsPerPatient: number;
  @ApiProperty() visitIntervalMonths: number;
  @ApiProperty() followUpYears: number;
  @ApiProperty({ type: () => SimulationNoiseDto }) noise: SimulationNoiseDto;
  @ApiProperty({ type: () => SimulationChangeDto }) change: SimulationChangeDto;
}

export class RuleFiguresDto {
  @ApiProperty({ enum: RULE_CODES }) rule: RuleCode;
  @ApiProperty({ enum: ['deposit', 'patient'], description: 'what the shares count: deposits, or patients for patient-level rules' }) per: 'deposit' | 'patient';
  @ApiProperty({ description: 'share of the unchanged cohort’s deposits (patients) with at least one alert of this rule, %' }) unchangedFlaggedPercent: number;
  @ApiProperty({ description: 'alerts of this rule raised on unchanged patients' }) falseAlerts: number;
  @ApiProperty() falseAlertsPerPatientYear: number;
  @ApiProperty({ enum: COHORT_KINDS, nullable: true, description: 'the changing cohort the rule is meant to find; null when none is simulated' }) changingKind: CohortKind | null;
  @ApiProperty({
    enum: ['change-or-next-visit', 'follow-up'],
    nullable: true,
    description: 'flagged at the visit of the change or the next one; or, for growth (which starts at the first visit), at any visit',
  })
  sensitivityWindow: SensitivityWindow | null;
  @ApiProperty({ type: Number, nullable: true, description: 'changing deposits (patients) of that cohort' }) changingCount: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'share of them flagged within the window, %' }) sensitivityPercent: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'median days from the change to the first flag at or after it' }) medianDelayDays: number | null;
}

export class SimulationTableDto {
  @ApiProperty() unchangedPatients: number;
  @ApiProperty() unchangedPatientYears: number;
  @ApiProperty({ description: 'every alert raised on unchanged patients, all rules together, per patient-year' }) falseAlertsPerPatientYear: number;
  @ApiProperty({ type: () => [RuleFiguresDto], description: 'the rules that have a changing cohort or raised an alert' }) rules: RuleFiguresDto[];
}

export class SimulatedSettingsDto {
  @ApiProperty({ type: () => RuleSettingsValuesDto }) settings: RuleSettingsValuesDto;
  @ApiProperty({ type: () => SimulationTableDto }) table: SimulationTableDto;
}

export class SimulatedCurrentSettingsDto extends SimulatedSettingsDto {
  @ApiProperty({ minimum: 1, description: "the clinic's current rule-settings version" }) version: number;
}

export class RuleSimulationDto {
  @ApiProperty({ type: () => SimulationCohortDto }) cohort: SimulationCohortDto;
  @ApiProperty({ type: () => SimulatedSettingsDto, description: 'the current settings with the request’s changes (not stored)' }) candidate: SimulatedSettingsDto;
  @ApiProperty({ type: () => SimulatedCurrentSettingsDto }) current: SimulatedCurrentSettingsDto;
}
