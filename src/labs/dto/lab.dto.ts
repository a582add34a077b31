import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNumber, registerDecorator, ValidateIf, ValidateNested, type ValidationArguments } from 'class-validator';
import { IsCalendarDate, IsNotFutureDate, IsOmittable, IsJsonObject } from '../../common/validation/validators';
import { ANALYTES, conventionalUnitOf, implausibilityOf, LAB_UNITS, PLAUSIBLE_RANGES, type Analyte, type LabUnitOf } from '../lab-units';

/** Within the plausible range of the analyte once converted with the sibling `unit`. */
function IsPlausibleLabValue(analyte: Analyte) {
  const why = (a: ValidationArguments): string | null => {
    const { unit } = a.object as { unit?: unknown };
    if (typeof a.value !== 'number' || !Number.isFinite(a.value) || typeof unit !== 'string') return null;
    return implausibilityOf(analyte, a.value, unit);
  };
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isPlausibleLabValue',
      target: object.constructor,
      propertyName: String(propertyName),
      options: { message: (a: ValidationArguments) => `${a.property} ${why(a) ?? 'is implausible'}` },
      validator: { validate: (_: unknown, a: ValidationArguments) => why(a) === null },
    });
}

function LabValue(analyte: Analyte) {
  const { min, max } = PLAUSIBLE_RANGES[analyte];
  return applyDecorators(
    ApiProperty({ description: `in the given unit; plausible once converted: ${min}–${max} ${conventionalUnitOf(analyte)}` }),
    IsNumber({ allowNaN: false, allowInfinity: false }),
    IsPlausibleLabValue(analyte),
  );
}

function LabUnit(analyte: Analyte) {
  return applyDecorators(ApiProperty({ enum: LAB_UNITS[analyte] }), IsIn(LAB_UNITS[analyte]));
}

export class CalciumInputDto {
  @LabValue('calcium') value: number;
  @LabUnit('calcium') unit: LabUnitOf<'calcium'>;
}

export class AlbuminInputDto {
  @LabValue('albumin') value: number;
  @LabUnit('albumin') unit: LabUnitOf<'albumin'>;
}

export class PhosphateInputDto {
  @LabValue('phosphate') value: number;
  @LabUnit('phosphate') unit: LabUnitOf<'phosphate'>;
}

export class PthInputDto {
  @LabValue('pth') value: number;
  @LabUnit('pth') unit: LabUnitOf<'pth'>;
}

export class VitaminDInputDto {
  @LabValue('vitaminD') value: number;
  @LabUnit('vitaminD') unit: LabUnitOf<'vitaminD'>;
}

export class EgfrInputDto {
  @LabValue('egfr') value: number;
  @LabUnit('egfr') unit: LabUnitOf<'egfr'>;
}

function hasAnyAnalyte(object: object): boolean {
  return ANALYTES.some((a) => (object as Record<string, unknown>)[a] != null);
}

/**
 * Sits on `calcium`: validates it when given, and — when no analyte at all is given — reports that
 * one is required (class-validator has no class-level constraint).
 */
function AtLeastOneAnalyte() {
  return (object: object, propertyName: string) => {
    ValidateIf((o: object, value: unknown) => value !== undefined || !hasAnyAnalyte(o))(object, propertyName);
    registerDecorator({
      name: 'atLeastOneAnalyte',
      target: object.constructor,
      propertyName,
      options: {
        message: (a: ValidationArguments) => `${a.property} or another analyte is required: a lab result needs at least one of ${ANALYTES.join(', ')}`,
      },
      validator: { validate: (_: unknown, a: ValidationArguments) => hasAnyAnalyte(a.object) },
    });
  };
}

function AnalyteField(dto: () => new () => object, description: string) {
  // swagger recognises a lazy type only by the arrow's name, `type`
  return applyDecorators(ApiPropertyOptional({ type: () => dto(), description }), IsJsonObject() as PropertyDecorator, ValidateNested(), Type(dto));
}

/** The analytes; at least one is required. Each comes with its unit and is converted on the way in. */
export abstract class LabValuesDto {
  @AtLeastOneAnalyte()
  @AnalyteField(() => CalciumInputDto, 'total serum calcium')
  calcium?: CalciumInputDto;

  @IsOmittable()
  @AnalyteField(() => AlbuminInputDto, 'serum albumin')
  albumin?: AlbuminInputDto;

  @IsOmittable()
  @AnalyteField(() => PhosphateInputDto, 'serum phosphate')
  phosphate?: PhosphateInputDto;

  @IsOmittable()
  @AnalyteField(() => PthInputDto, 'intact parathyroid hormone')
  pth?: PthInputDto;

  @IsOmittable()
  @AnalyteField(() => VitaminDInputDto, '25-OH vitamin D')
  vitaminD?: VitaminDInputDto;

  @IsOmittable()
  @AnalyteField(() => EgfrInputDto, 'estimated glomerular filtration rate')
  egfr?: EgfrInputDto;
}

export class LabInputDto extends LabValuesDto {
  @ApiProperty({ format: 'date', example: '2025-03-14', description: 'the day the sample was taken; not in the future' })
  @IsCalendarDate()
  @IsNotFutureDate()
  collectedOn: string;
}

/** Labs logged with a visit: `collectedOn` defaults to the visit's date. */
export class VisitLabInputDto extends LabValuesDto {
  @ApiPropertyOptional({ format: 'date', example: '2025-03-14', description: "the day the sample was taken; defaults to the visit's date" })
  @IsOmittable()
  @IsCalendarDate()
  @IsNotFutureDate()
  collectedOn?: string;
}

export class EnteredLabValueDto {
  @ApiProperty() value: number;
  @ApiProperty() unit: string;
}

/** What was typed, with its unit: only the analytes given. */
export class EnteredLabsDto {
  @ApiPropertyOptional({ type: () => EnteredLabValueDto }) calcium?: EnteredLabValueDto;
  @ApiPropertyOptional({ type: () => EnteredLabValueDto }) albumin?: EnteredLabValueDto;
  @ApiPropertyOptional({ type: () => EnteredLabValueDto }) phosphate?: EnteredLabValueDto;
  @ApiPropertyOptional({ type: () => EnteredLabValueDto }) pth?: EnteredLabValueDto;
  @ApiPropertyOptional({ type: () => EnteredLabValueDto }) vitaminD?: EnteredLabValueDto;
  @ApiPropertyOptional({ type: () => EnteredLabValueDto }) egfr?: EnteredLabValueDto;
}

export class LabResultDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the visit the labs were logged with' }) visitId: string | null;
  @ApiProperty({ format: 'date' }) collectedOn: string;
  @ApiProperty({ type: Number, nullable: true, description: 'total calcium, mg/dL' }) calciumMgDl: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'g/dL' }) albuminGDl: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'mg/dL' }) phosphateMgDl: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'pg/mL (= ng/L)' }) pthPgMl: number | null;
  @ApiProperty({ type: Number, nullable: true, description: '25-OH vitamin D, ng/mL' }) vitaminDNgMl: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'mL/min/1.73m²' }) egfrMlMin173m2: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Ca + 0.8 × (4.0 − albumin g/dL), mg/dL; null without both' }) correctedCalciumMgDl: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Ca × P, mg²/dL²; null without both' }) calciumPhosphateProduct: number | null;
  @ApiProperty({ type: () => EnteredLabsDto }) entered: EnteredLabsDto;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class LabResultPageDto {
  @ApiProperty({ type: () => [LabResultDto] }) items: LabResultDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
