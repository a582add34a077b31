import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { TREATMENT_KINDS, type TreatmentKind } from '../../change-detection/tiers';
import { IsCalendarDate, IsNotBlank, IsNotFutureDate, IsOmittable } from '../../common/validation/validators';

const KIND_DESCRIPTION = 'the kind sets the rung of the escalation ladder (0 observation … 4 surgery; supportive kinds have none)';

export class CreateTreatmentDto {
  @ApiProperty({ enum: TREATMENT_KINDS, description: KIND_DESCRIPTION })
  @IsIn(TREATMENT_KINDS)
  kind: TreatmentKind;

  @ApiProperty({ format: 'date', example: '2025-01-20' })
  @IsCalendarDate()
  @IsNotFutureDate()
  startedOn: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'the targeted deposit (of this patient); null: patient-wide' })
  @IsOptional()
  @IsUUID()
  depositId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200, example: '0.5 mg twice daily' })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  dose?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100, example: 'oral' })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(100)
  route?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, description: 'on or after startedOn; not in the future' })
  @IsOptional()
  @IsCalendarDate()
  @IsNotFutureDate()
  endedOn?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000 })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  outcome?: string | null;
}

export class UpdateTreatmentDto {
  @ApiPropertyOptional({ enum: TREATMENT_KINDS, description: KIND_DESCRIPTION })
  @IsOmittable()
  @IsIn(TREATMENT_KINDS)
  kind?: TreatmentKind;

  @ApiPropertyOptional({ format: 'date', example: '2025-01-20' })
  @IsOmittable()
  @IsCalendarDate()
  @IsNotFutureDate()
  startedOn?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'the targeted deposit (of this patient); null: patient-wide' })
  @IsOptional()
  @IsUUID()
  depositId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  dose?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100 })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(100)
  route?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, description: 'on or after startedOn; not in the future; null: still running' })
  @IsOptional()
  @IsCalendarDate()
  @IsNotFutureDate()
  endedOn?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000 })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  outcome?: string | null;
}

export class TreatmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null: patient-wide' }) depositId: string | null;
  @ApiProperty({ enum: TREATMENT_KINDS }) kind: string;
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 4, description: 'rung of the escalation ladder; null for supportive kinds' }) tier: number | null;
  @ApiProperty({ format: 'date' }) startedOn: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) endedOn: string | null;
  @ApiProperty({ type: String, nullable: true }) dose: string | null;
  @ApiProperty({ type: String, nullable: true }) route: string | null;
  @ApiProperty({ type: String, nullable: true }) outcome: string | null;
  @ApiProperty() version: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

export class TreatmentPageDto {
  @ApiProperty({ type: () => [TreatmentDto] }) items: TreatmentDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
