import { ApiProperty } from '@nestjs/swagger';
import { METHODS, type Method } from '../../visits/evaluation.entity';
import { EvaluationDto } from '../../visits/dto/evaluation.dto';
import {
  DEPOSIT_STATUSES, DEPTHS, LATERALITIES, PATTERNS, SITES,
  type DepositStatus, type Depth, type Laterality, type Pattern, type Site,
} from '../deposit.entity';

export class DepositDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: SITES }) site: Site;
  @ApiProperty({ type: String, nullable: true }) siteDetail: string | null;
  @ApiProperty({ enum: LATERALITIES }) laterality: Laterality;
  @ApiProperty({ enum: DEPTHS }) depth: Depth;
  @ApiProperty({ enum: PATTERNS, nullable: true }) pattern: Pattern | null;
  @ApiProperty({ enum: METHODS }) detectedBy: Method;
  @ApiProperty() priorProcedureSite: boolean;
  @ApiProperty({ format: 'date' }) notedOn: string;
  @ApiProperty({ enum: DEPOSIT_STATUSES }) status: DepositStatus;
  @ApiProperty() version: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

export class DepositWithLatestDto extends DepositDto {
  @ApiProperty({ type: () => EvaluationDto, nullable: true, description: 'the most recent evaluation' })
  latestEvaluation: EvaluationDto | null;
}

export class DepositPageDto {
  @ApiProperty({ type: () => [DepositWithLatestDto] }) items: DepositWithLatestDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ChangeDto {
  @ApiProperty({ description: 'latest minus reference, mm' }) mm: number;
  @ApiProperty({ description: 'change as % of the reference' }) percent: number;
}

/**
 * The deposit's course. Sizes are compared like with like (SPEC's noise guard): baseline and nadir
 * are taken among the evaluations of the latest evaluation's method class.
 */
export class DepositDetailDto extends DepositDto {
  @ApiProperty({ type: () => [EvaluationDto], description: 'every evaluation (latest version), oldest first' })
  evaluations: EvaluationDto[];

  @ApiProperty({ enum: ['clinical', 'ultrasound', 'radiographic'], nullable: true, description: 'method class the references are taken in' })
  methodClass: string | null;

  @ApiProperty({ type: () => EvaluationDto, nullable: true, description: 'first evaluation of that method class' })
  baseline: EvaluationDto | null;

  @ApiProperty({ type: () => EvaluationDto, nullable: true, description: 'smallest longest diameter of that method class' })
  nadir: EvaluationDto | null;

  @ApiProperty({ type: () => EvaluationDto, nullable: true })
  latest: EvaluationDto | null;

  @ApiProperty({ type: () => ChangeDto, nullable: true })
  changeSinceBaseline: ChangeDto | null;

  @ApiProperty({ type: () => ChangeDto, nullable: true })
  changeSinceNadir: ChangeDto | null;
}
