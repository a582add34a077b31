import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { AlertDto } from '../../alerts/dto/alert.dto';
import { IsCalendarDate, IsNotFutureDate, IsOmittable } from '../../common/validation/validators';
import { NewDepositDto } from '../../deposits/dto/deposit-input.dto';
import { LabResultDto, VisitLabInputDto } from '../../labs/dto/lab.dto';
import { EvaluationDto } from './evaluation.dto';
import { EvaluationInputDto } from './evaluation-input.dto';

export const MAX_ITEMS_PER_VISIT = 100;

export class CreateVisitDto {
  @ApiProperty({ format: 'date', description: 'the day of the encounter; not in the future', example: '2025-07-10' })
  @IsCalendarDate()
  @IsNotFutureDate()
  visitDate: string;

  @ApiPropertyOptional({ type: () => [EvaluationInputDto], default: [], maxItems: MAX_ITEMS_PER_VISIT, description: 'evaluations of deposits the patient already has' })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(MAX_ITEMS_PER_VISIT)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => EvaluationInputDto)
  evaluations?: EvaluationInputDto[];

  @ApiPropertyOptional({ type: () => [NewDepositDto], default: [], maxItems: MAX_ITEMS_PER_VISIT, description: 'deposits first recorded at this visit, each with its first evaluation' })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(MAX_ITEMS_PER_VISIT)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => NewDepositDto)
  newDeposits?: NewDepositDto[];

  @ApiPropertyOptional({ type: () => VisitLabInputDto, nullable: true, description: "labs taken at the visit (collectedOn defaults to the visit's date)" })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => VisitLabInputDto)
  labs?: VisitLabInputDto | null;
}

export class VisitCreatedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ format: 'date' }) visitDate: string;
  @ApiProperty({ type: () => [EvaluationDto], description: 'every evaluation the visit stored' }) evaluations: EvaluationDto[];
  @ApiProperty({ type: [String], description: 'ids of the new deposits, in the order of newDeposits' }) newDepositIds: string[];
  @ApiProperty({ type: () => LabResultDto, nullable: true }) labs: LabResultDto | null;
  @ApiProperty({ type: () => [AlertDto], description: 'alerts the visit raised or updated' }) alerts: AlertDto[];
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class VisitDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ format: 'date' }) visitDate: string;
  @ApiProperty({ type: () => [EvaluationDto] }) evaluations: EvaluationDto[];
  @ApiProperty({ type: [String], description: 'deposits first recorded at this visit' }) newDepositIds: string[];
  @ApiProperty({ type: [String], description: 'lab results taken at this visit' }) labResultIds: string[];
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class VisitPageDto {
  @ApiProperty({ type: () => [VisitDto] }) items: VisitDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
