import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { IsCalendarDate, IsNotBlank, IsNotFutureDate, IsOmittable } from '../../common/validation/validators';
import { METHODS, type Method } from '../../visits/evaluation.entity';
import { MeasurementInputDto } from '../../visits/dto/evaluation-input.dto';
import {
  DEPOSIT_STATUSES, DEPTHS, LATERALITIES, PATTERNS, SITES,
  type DepositStatus, type Depth, type Laterality, type Pattern, type Site,
} from '../deposit.entity';

export class CreateDepositDto {
  @ApiProperty({ example: 'R index pulp', maxLength: 200 })
  @IsNotBlank()
  @MaxLength(200)
  label: string;

  @ApiProperty({ enum: SITES })
  @IsIn(SITES)
  site: Site;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  siteDetail?: string | null;

  @ApiProperty({ enum: LATERALITIES })
  @IsIn(LATERALITIES)
  laterality: Laterality;

  @ApiProperty({ enum: DEPTHS })
  @IsIn(DEPTHS)
  depth: Depth;

  @ApiPropertyOptional({ enum: PATTERNS, nullable: true })
  @IsOptional()
  @IsIn(PATTERNS)
  pattern?: Pattern | null;

  @ApiProperty({ enum: METHODS, description: 'how the deposit was found' })
  @IsIn(METHODS)
  detectedBy: Method;

  @ApiPropertyOptional({ default: false, description: 'at the site of an earlier excision or procedure' })
  @IsOmittable()
  @IsBoolean()
  priorProcedureSite?: boolean;

  @ApiPropertyOptional({ format: 'date', description: "defaults to the visit's date (today outside a visit)" })
  @IsOmittable()
  @IsCalendarDate()
  @IsNotFutureDate()
  notedOn?: string;

  @ApiPropertyOptional({ enum: DEPOSIT_STATUSES, default: 'active' })
  @IsOmittable()
  @IsIn(DEPOSIT_STATUSES)
  status?: DepositStatus;
}

/** A deposit first recorded at a visit, with its first evaluation. */
export class NewDepositDto extends CreateDepositDto {
  @ApiProperty({ type: () => MeasurementInputDto })
  @IsObject()
  @ValidateNested()
  @Type(() => MeasurementInputDto)
  evaluation: MeasurementInputDto;
}

export class UpdateDepositDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOmittable()
  @IsNotBlank()
  @MaxLength(200)
  label?: string;

  @ApiPropertyOptional({ enum: SITES })
  @IsOmittable()
  @IsIn(SITES)
  site?: Site;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  siteDetail?: string | null;

  @ApiPropertyOptional({ enum: LATERALITIES })
  @IsOmittable()
  @IsIn(LATERALITIES)
  laterality?: Laterality;

  @ApiPropertyOptional({ enum: DEPTHS })
  @IsOmittable()
  @IsIn(DEPTHS)
  depth?: Depth;

  @ApiPropertyOptional({ enum: PATTERNS, nullable: true })
  @IsOptional()
  @IsIn(PATTERNS)
  pattern?: Pattern | null;

  @ApiPropertyOptional({ enum: METHODS })
  @IsOmittable()
  @IsIn(METHODS)
  detectedBy?: Method;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  priorProcedureSite?: boolean;

  @ApiPropertyOptional({ format: 'date' })
  @IsOmittable()
  @IsCalendarDate()
  @IsNotFutureDate()
  notedOn?: string;

  @ApiPropertyOptional({ enum: DEPOSIT_STATUSES })
  @IsOmittable()
  @IsIn(DEPOSIT_STATUSES)
  status?: DepositStatus;
}
