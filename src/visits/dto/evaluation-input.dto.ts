import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsPositive, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsNotBlank, IsOmittable } from '../../common/validation/validators';
import { DRAINAGES, MARGINS, METHODS, MOBILITIES, SHAPES, type Drainage, type Margin, type Method, type Mobility, type Shape } from '../evaluation.entity';

const FINITE = { allowNaN: false, allowInfinity: false };

export class PositionDto {
  @ApiProperty({ description: 'anatomical landmark the offsets are measured from', example: 'R index DIP joint crease' })
  @IsNotBlank()
  @MaxLength(200)
  landmark: string;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'offset from the landmark, mm' })
  @IsOptional()
  @IsNumber(FINITE)
  @Min(-2000)
  @Max(2000)
  xMm?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'offset from the landmark, mm' })
  @IsOptional()
  @IsNumber(FINITE)
  @Min(-2000)
  @Max(2000)
  yMm?: number | null;
}

/** One measurement of a deposit, as staff enter it. */
export class MeasurementInputDto {
  @ApiProperty({ enum: METHODS })
  @IsIn(METHODS)
  method: Method;

  @ApiProperty({ description: 'longest diameter, mm', exclusiveMinimum: true, minimum: 0, maximum: 1000, example: 8 })
  @IsNumber(FINITE)
  @IsPositive()
  @Max(1000)
  longestDiameterMm: number;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'mm', minimum: 0, maximum: 1000 })
  @IsOptional()
  @IsNumber(FINITE)
  @IsPositive()
  @Max(1000)
  perpendicularDiameterMm?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'mm', minimum: 0, maximum: 1000 })
  @IsOptional()
  @IsNumber(FINITE)
  @IsPositive()
  @Max(1000)
  depthMm?: number | null;

  @ApiPropertyOptional({ enum: SHAPES, nullable: true })
  @IsOptional()
  @IsIn(SHAPES)
  shape?: Shape | null;

  @ApiPropertyOptional({ enum: MARGINS, nullable: true })
  @IsOptional()
  @IsIn(MARGINS)
  margin?: Margin | null;

  @ApiPropertyOptional({ type: () => PositionDto, nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PositionDto)
  position?: PositionDto | null;

  @ApiPropertyOptional({ enum: MOBILITIES, nullable: true })
  @IsOptional()
  @IsIn(MOBILITIES)
  mobility?: Mobility | null;

  @ApiPropertyOptional({ default: false })
  @IsOmittable()
  @IsBoolean()
  ulcerated?: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOmittable()
  @IsBoolean()
  infectionSigns?: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOmittable()
  @IsBoolean()
  inflammation?: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOmittable()
  @IsBoolean()
  nerveCompression?: boolean;

  @ApiPropertyOptional({ enum: DRAINAGES, default: 'none' })
  @IsOmittable()
  @IsIn(DRAINAGES)
  drainage?: Drainage;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 10, description: '0–10 numeric rating scale' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  painScore?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 4000 })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  notes?: string | null;
}

/** An evaluation of a deposit the patient already has. */
export class EvaluationInputDto extends MeasurementInputDto {
  @ApiProperty({ format: 'uuid', description: 'a deposit of this patient' })
  @IsUUID()
  depositId: string;
}

/**
 * An amendment: the fields that change, and why. At least one field must change. The measurement
 * fields are those of MeasurementInputDto, with the two required ones made optional (but never null).
 */
export class AmendEvaluationDto extends OmitType(MeasurementInputDto, ['method', 'longestDiameterMm'] as const) {
  @ApiProperty({ description: 'why the evaluation is corrected', example: 'transcription error: 13 mm, not 18 mm' })
  @IsNotBlank()
  @MaxLength(2000)
  reason: string;

  @ApiPropertyOptional({ enum: METHODS })
  @IsOmittable()
  @IsIn(METHODS)
  method?: Method;

  @ApiPropertyOptional({ description: 'longest diameter, mm', exclusiveMinimum: true, minimum: 0, maximum: 1000 })
  @IsOmittable()
  @IsNumber(FINITE)
  @IsPositive()
  @Max(1000)
  longestDiameterMm?: number;
}
