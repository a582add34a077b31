import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { IsCalendarDate } from '../../common/validation/validators';
import { AUDIT_OUTCOMES, type AuditOutcome } from '../audit-event.entity';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  patientId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the user who acted' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ format: 'date', description: 'from this day (UTC), inclusive' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'up to this day (UTC), inclusive' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: "position in the clinic's hash chain" }) seq: number;
  @ApiProperty({ type: String, format: 'date-time' }) occurredAt: Date;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorId: string | null;
  @ApiProperty({ type: String, nullable: true }) actorRole: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) clinicId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) patientId: string | null;
  @ApiProperty({ example: 'visit.create' }) action: string;
  @ApiProperty({ type: String, nullable: true }) recordType: string | null;
  @ApiProperty({ type: String, nullable: true }) recordId: string | null;
  @ApiProperty({ enum: AUDIT_OUTCOMES }) outcome: AuditOutcome;
  @ApiProperty({ type: Number, nullable: true }) statusCode: number | null;
  @ApiProperty({ type: String, nullable: true }) clientIp: string | null;
  @ApiProperty({ type: String, nullable: true }) requestId: string | null;
  @ApiProperty({ description: 'sha-256 over the previous hash and this event' }) hash: string;
}

export class AuditEventPageDto {
  @ApiProperty({ type: () => [AuditEventDto] }) items: AuditEventDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
