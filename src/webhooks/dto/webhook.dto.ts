import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { Severity } from '../../change-detection/types';
import { PageQueryDto } from '../../common/http/pagination';
import { IsNotBlank, IsOmittable } from '../../common/validation/validators';
import { ALERT_EVENTS, type AlertEvent } from '../../notifications/notification-outbox';
import { SEVERITIES } from '../../notifications/notification-settings';

const URL_TEXT =
  'where deliveries are POSTed: https only, to a public address (the host is resolved and every address checked; private, loopback, link-local and similar addresses are refused). Hosts in WEBHOOK_ALLOW_HOSTS may use http and any address.';
const EVENTS_TEXT = 'the events delivered; null or absent: every event';
const SEVERITY_TEXT = 'deliver only alerts at or above this severity; null or absent: every severity';
/** The syntax the document can state; the rest (scheme, resolved addresses) is checked by the service. */
const ABSOLUTE_URL = /^https?:\/\/\S+$/;
const ABSOLUTE_URL_MESSAGE = 'url must be an absolute URL (https://…)';

export class CreateWebhookDto {
  @ApiProperty({ maxLength: 2048, description: URL_TEXT, example: 'https://ehr.clinic.example/hooks/calcitrack' })
  @IsString()
  @MaxLength(2048)
  @Matches(ABSOLUTE_URL, { message: ABSOLUTE_URL_MESSAGE })
  url: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500, description: 'what the integration is (e.g. "EHR inbox")' })
  @IsOptional()
  @IsNotBlank()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({ type: [String], enum: ALERT_EVENTS, nullable: true, minItems: 1, maxItems: 3, uniqueItems: true, description: EVENTS_TEXT })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsIn(ALERT_EVENTS, { each: true })
  events?: AlertEvent[] | null;

  @ApiPropertyOptional({ enum: SEVERITIES, nullable: true, description: SEVERITY_TEXT })
  @IsOptional()
  @IsIn(SEVERITIES)
  minSeverity?: Severity | null;

  @ApiPropertyOptional({ default: true, description: 'false pauses deliveries (they wait, in order, until it is enabled again)' })
  @IsOmittable()
  @IsBoolean()
  enabled?: boolean;
}

/** Any field of a subscription but its secret: the filters as on creation, the url checked again when it changes. */
export class UpdateWebhookDto extends PickType(CreateWebhookDto, ['description', 'events', 'minSeverity'] as const) {
  @ApiPropertyOptional({ maxLength: 2048, description: URL_TEXT })
  @IsOmittable()
  @IsString()
  @MaxLength(2048)
  @Matches(ABSOLUTE_URL, { message: ABSOLUTE_URL_MESSAGE })
  url?: string;

  @ApiPropertyOptional({ description: 'false pauses deliveries; true resumes them in order' })
  @IsOmittable()
  @IsBoolean()
  enabled?: boolean;
}

export class RotateWebhookSecretDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 168, default: 24, description: 'hours the old secret keeps signing alongside the new one (deliveries carry both signatures); 0 retires it at once' })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(168)
  overlapHours?: number;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: [String], enum: ALERT_EVENTS, nullable: true, description: EVENTS_TEXT }) events: AlertEvent[] | null;
  @ApiProperty({ enum: SEVERITIES, nullable: true, description: SEVERITY_TEXT }) minSeverity: Severity | null;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'until when the previous secret still signs (after a rotation)' })
  previousSecretExpiresAt: Date | null;
  @ApiProperty({ minimum: 1, description: 'carried as the ETag' }) version: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) createdBy: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

/** The creating (or rotating) response: the only time the secret is shown. */
export class WebhookWithSecretDto extends WebhookDto {
  @ApiProperty({ pattern: '^whsec_', description: 'the signing secret (Standard Webhooks, whsec_ + base64): shown this once, store it now' })
  secret: string;
}

export class WebhookPageDto {
  @ApiProperty({ type: () => [WebhookDto] }) items: WebhookDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export const DELIVERY_STATES = ['pending', 'delivered', 'dead', 'cancelled'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
export const ATTEMPT_OUTCOMES = ['in-progress', 'delivered', 'failed', 'interrupted'] as const;

export class DeliveryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATES, description: 'only deliveries in this state (dead: given up, an admin may resend)' })
  @IsOptional()
  @IsIn(DELIVERY_STATES)
  state?: DeliveryState;
}

export class DeliveryAttemptDto {
  @ApiProperty({ minimum: 1 }) attempt: number;
  @ApiProperty({ type: String, format: 'date-time' }) startedAt: Date;
  @ApiProperty({ enum: ATTEMPT_OUTCOMES, description: 'interrupted: the service stopped while the request was out' }) outcome: (typeof ATTEMPT_OUTCOMES)[number];
  @ApiProperty({ type: 'integer', nullable: true }) durationMs: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: "the receiver's HTTP status" }) statusCode: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'why the attempt failed' }) error: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when the next attempt was scheduled after this one' }) nextAttemptAt: Date | null;
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'the notification, sent as `webhook-id` (the same on every attempt)' }) webhookId: string;
  @ApiProperty({ enum: ALERT_EVENTS }) event: AlertEvent;
  @ApiProperty({ format: 'uuid' }) alertId: string;
  @ApiProperty({ enum: DELIVERY_STATES }) state: DeliveryState;
  @ApiProperty({ minimum: 0 }) attempts: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when the next attempt is due (pending only)' }) nextAttemptAt: Date | null;
  @ApiProperty({ type: 'integer', nullable: true }) lastStatusCode: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: () => [DeliveryAttemptDto], description: 'every attempt, oldest first' }) attemptLog: DeliveryAttemptDto[];
}

export class DeliveryPageDto {
  @ApiProperty({ type: () => [DeliveryDto] }) items: DeliveryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
