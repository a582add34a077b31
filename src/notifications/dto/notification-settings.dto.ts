import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn } from 'class-validator';
import type { Severity } from '../../change-detection/types';
import { IsOmittable } from '../../common/validation/validators';
import { DEFAULT_NOTIFICATION_SETTINGS, SEVERITIES, type NotificationSettings } from '../notification-settings';

const EMAIL_ALERTS = `e-mail the patient's responsible physician (every active physician when none) when an alert at or above emailMinSeverity is raised or escalated; default ${DEFAULT_NOTIFICATION_SETTINGS.emailAlerts}`;
const MIN_SEVERITY = `the least severe alert that is e-mailed; default ${DEFAULT_NOTIFICATION_SETTINGS.emailMinSeverity}`;
const DIGEST = `a daily digest of unresolved alerts to each physician at DIGEST_HOUR (UTC); each physician may opt out; default ${DEFAULT_NOTIFICATION_SETTINGS.dailyDigest}`;

export class NotificationSettingsValuesDto implements NotificationSettings {
  @ApiProperty({ description: EMAIL_ALERTS }) emailAlerts: boolean;
  @ApiProperty({ enum: SEVERITIES, description: MIN_SEVERITY }) emailMinSeverity: Severity;
  @ApiProperty({ description: DIGEST }) dailyDigest: boolean;
}

export class NotificationSettingsDto {
  @ApiProperty({ minimum: 1, description: 'each change is a new version' }) version: number;
  @ApiProperty({ type: () => NotificationSettingsValuesDto }) settings: NotificationSettingsValuesDto;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) createdAt: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the admin who wrote this version; null for the defaults' }) createdBy: string | null;
  @ApiProperty({ description: 'whether this service sends e-mail at all (SMTP_URL is set)' }) mailConfigured: boolean;
}

/** Any subset of the settings; the rest keep their current value. */
export class UpdateNotificationSettingsDto implements Partial<NotificationSettings> {
  @ApiPropertyOptional({ description: EMAIL_ALERTS })
  @IsOmittable()
  @IsBoolean()
  emailAlerts?: boolean;

  @ApiPropertyOptional({ enum: SEVERITIES, description: MIN_SEVERITY })
  @IsOmittable()
  @IsIn(SEVERITIES)
  emailMinSeverity?: Severity;

  @ApiPropertyOptional({ description: DIGEST })
  @IsOmittable()
  @IsBoolean()
  dailyDigest?: boolean;
}

/** Compile-time guard: a key added to NotificationSettings must be added to the PUT body too. */
type MissingFromUpdate = Exclude<keyof NotificationSettings, keyof UpdateNotificationSettingsDto>;
export const UPDATE_DTO_IS_COMPLETE: [MissingFromUpdate] extends [never] ? true : never = true;

export class NotificationPreferencesDto {
  @ApiProperty({ format: 'uuid', description: 'whose preferences these are: the caller' }) userId: string;

  @ApiProperty({ description: "whether you receive the daily digest (when the clinic sends it and you are a physician); default true" })
  dailyDigest: boolean;
}

export class UpdateNotificationPreferencesDto {
  @ApiProperty({ description: 'receive the daily digest' })
  @IsBoolean()
  dailyDigest: boolean;
}
