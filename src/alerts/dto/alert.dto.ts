import { ApiProperty } from '@nestjs/swagger';
import { RULE_CODES, SEVERITIES, type RuleCode, type Severity } from '../../change-detection/types';

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const DECISIONS = ['escalate', 'continue', 'dismiss'] as const;
export type Decision = (typeof DECISIONS)[number];

export class SuggestedActionDto {
  @ApiProperty({ minimum: 0, maximum: 4 }) currentTier: number;
  @ApiProperty({ minimum: 0, maximum: 4 }) suggestedTier: number;
  @ApiProperty() text: string;
}

export class AlertDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for patient-level rules' }) depositId: string | null;
  @ApiProperty({ enum: RULE_CODES }) rule: RuleCode;
  @ApiProperty({ enum: SEVERITIES }) severity: Severity;
  @ApiProperty({ enum: ALERT_STATUSES }) status: AlertStatus;
  @ApiProperty({ description: 'one sentence a physician can act on' }) message: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the values compared, thresholds and rule-settings version' })
  evidence: Record<string, unknown>;
  @ApiProperty({ type: () => SuggestedActionDto }) suggestedAction: SuggestedActionDto;
  @ApiProperty({ description: 'rule-settings version that raised or last updated it' }) settingsVersion: number;
  @ApiProperty() version: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) acknowledgedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) acknowledgedAt: Date | null;
  @ApiProperty({ enum: DECISIONS, nullable: true }) decision: Decision | null;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) resolvedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt: Date | null;
}

export class EvidenceRecordDto {
  @ApiProperty({ type: String, format: 'date-time', description: 'when this evidence was replaced by newer evidence' }) at: string;
  @ApiProperty({ enum: SEVERITIES }) severity: Severity;
  @ApiProperty() message: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) evidence: Record<string, unknown>;
  @ApiProperty() settingsVersion: number;
}

export class AlertDetailDto extends AlertDto {
  @ApiProperty({ type: () => [EvidenceRecordDto], description: 'earlier evidence, oldest first' }) evidenceHistory: EvidenceRecordDto[];
  @ApiProperty({ type: String, nullable: true, description: 'the name of the physician who acknowledged it' }) acknowledgedByName: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the name of the physician who decided' }) resolvedByName: string | null;
}

/** An inbox row: the alert with who and what it is about, so the inbox reads at a glance. */
export class InboxAlertDto extends AlertDto {
  @ApiProperty({ description: "the patient's medical record number" }) patientMrn: string;
  @ApiProperty() patientName: string;
  @ApiProperty({ type: String, nullable: true, description: "the deposit's label; null for patient-level rules" }) depositLabel: string | null;
}

export class AlertPageDto {
  @ApiProperty({ type: () => [InboxAlertDto] }) items: InboxAlertDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
