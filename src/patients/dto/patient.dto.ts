import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { IsCalendarDate, IsNotBlank, IsNotFutureDate, IsOmittable } from '../../common/validation/validators';
import { CALCINOSIS_TYPES, CONDITIONS, SEXES, type CalcinosisType, type Condition, type Sex } from '../patient.entity';

export class CreatePatientDto {
  @ApiProperty({ description: 'medical record number, unique within the clinic', example: 'MRN-000123' })
  @IsString()
  @IsNotBlank()
  @MaxLength(64)
  mrn: string;

  @ApiProperty({ example: 'Ada Example' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name: string;

  @ApiProperty({ format: 'date', example: '1971-04-12' })
  @IsCalendarDate()
  @IsNotFutureDate()
  birthDate: string;

  @ApiProperty({ enum: SEXES })
  @IsIn(SEXES)
  sex: Sex;

  @ApiPropertyOptional({ enum: CONDITIONS, isArray: true, default: [] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(CONDITIONS.length)
  @ArrayUnique()
  @IsIn(CONDITIONS, { each: true })
  conditions?: Condition[];

  @ApiPropertyOptional({ enum: CALCINOSIS_TYPES, default: 'unknown' })
  @IsOmittable()
  @IsIn(CALCINOSIS_TYPES)
  calcinosisType?: CalcinosisType;

  @ApiPropertyOptional({ default: false })
  @IsOmittable()
  @IsBoolean()
  familyHistory?: boolean;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'a physician of the same clinic' })
  @IsOptional()
  @IsUUID()
  responsiblePhysicianId?: string | null;
}

export class UpdatePatientDto {
  @ApiPropertyOptional({ description: 'medical record number, unique within the clinic', example: 'MRN-000123' })
  @IsOmittable()
  @IsString()
  @IsNotBlank()
  @MaxLength(64)
  mrn?: string;

  @ApiPropertyOptional({ example: 'Ada Example' })
  @IsOmittable()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ format: 'date', example: '1971-04-12' })
  @IsOmittable()
  @IsCalendarDate()
  @IsNotFutureDate()
  birthDate?: string;

  @ApiPropertyOptional({ enum: SEXES })
  @IsOmittable()
  @IsIn(SEXES)
  sex?: Sex;

  @ApiPropertyOptional({ enum: CONDITIONS, isArray: true, default: [] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(CONDITIONS.length)
  @ArrayUnique()
  @IsIn(CONDITIONS, { each: true })
  conditions?: Condition[];

  @ApiPropertyOptional({ enum: CALCINOSIS_TYPES, default: 'unknown' })
  @IsOmittable()
  @IsIn(CALCINOSIS_TYPES)
  calcinosisType?: CalcinosisType;

  @ApiPropertyOptional({ default: false })
  @IsOmittable()
  @IsBoolean()
  familyHistory?: boolean;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'a physician of the same clinic' })
  @IsOptional()
  @IsUUID()
  responsiblePhysicianId?: string | null;
}

export class PatientQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'part of the name or MRN' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;
}

export class PatientDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() mrn: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'date' }) birthDate: string;
  @ApiProperty({ enum: SEXES }) sex: Sex;
  @ApiProperty({ enum: CONDITIONS, isArray: true }) conditions: Condition[];
  @ApiProperty({ enum: CALCINOSIS_TYPES }) calcinosisType: CalcinosisType;
  @ApiProperty() familyHistory: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) responsiblePhysicianId: string | null;
  @ApiProperty() version: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

export class CurrentTierDto {
  @ApiProperty({ minimum: 0, maximum: 4, description: 'highest tier among the treatments running today (procedures count for 30 days after they end); 0 without treatment' })
  tier: number;

  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'earliest start among the running treatments of that tier; null when none runs' })
  since: string | null;

  @ApiProperty({ example: 'tier 1 (local or low-risk therapy)' })
  description: string;
}

/** One patient as GET /patients/:id answers: with the current tier of the escalation ladder. */
export class PatientDetailDto extends PatientDto {
  @ApiProperty({ type: () => CurrentTierDto, description: "the patient's current tier today (UTC), all of their treatments counted" })
  currentTier: CurrentTierDto;
}

export class PatientPageDto {
  @ApiProperty({ type: () => [PatientDto] }) items: PatientDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
