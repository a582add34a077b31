import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { RULE_CODES, SEVERITIES, type RuleCode, type Severity } from '../../change-detection/types';
import { PageQueryDto } from '../../common/http/pagination';
import { ALERT_STATUSES, type AlertStatus } from './alert.dto';

/** `?status=open,acknowledged` and `?status=open&status=acknowledged` both give a list; each value is validated. */
const toList = ({ value }: { value: unknown }): unknown => {
  const parts = Array.isArray(value) ? value : [value];
  if (!parts.every((part) => typeof part === 'string')) return value;
  return (parts as string[]).flatMap((part) => part.split(',')).map((part) => part.trim());
};

/** Query strings arrive as text: only `true` and `false` are booleans. */
const toBoolean = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

export class AlertQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    type: String,
    description: `one status or a comma-separated list of ${ALERT_STATUSES.join(', ')}; without it the inbox shows unresolved alerts (open, acknowledged)`,
    example: 'open,acknowledged',
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(ALERT_STATUSES.length * 2)
  @IsIn(ALERT_STATUSES, { each: true, message: `status must be one or more of ${ALERT_STATUSES.join(', ')}, separated by commas` })
  status?: AlertStatus[];

  @ApiPropertyOptional({ type: String, description: `one severity or a comma-separated list of ${SEVERITIES.join(', ')}`, example: 'urgent,high' })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(SEVERITIES.length * 2)
  @IsIn(SEVERITIES, { each: true, message: `severity must be one or more of ${SEVERITIES.join(', ')}, separated by commas` })
  severity?: Severity[];

  @ApiPropertyOptional({ format: 'uuid', description: 'only this patient\'s alerts (404 when the clinic has no such patient)' })
  @IsOptional()
  @IsUUID()
  patientId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'only this deposit\'s alerts (404 when the clinic has no such deposit)' })
  @IsOptional()
  @IsUUID()
  depositId?: string;

  @ApiPropertyOptional({ enum: RULE_CODES })
  @IsOptional()
  @IsIn(RULE_CODES)
  rule?: RuleCode;

  @ApiPropertyOptional({ type: Boolean, description: 'true: only alerts of patients whose responsible physician is the caller' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  mine?: boolean;
}
