import { Idempotent } from '../idempotency/idempotency';
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AlertDto } from '../alerts/dto/alert.dto';
import type { AuthUser } from '../auth/auth-user';
import { ALL_ROLES, CLINICAL_ROLES, CurrentUser, Roles } from '../auth/auth.decorators';
import { PageQueryDto } from '../common/http/pagination';
import { UuidParamPipe } from '../common/http/uuid-param.pipe';
import { AmendmentsService, type AmendmentResult } from './amendments.service';
import { AmendEvaluationDto } from './dto/evaluation-input.dto';
import { EvaluationHistoryDto, EvaluationVersionDto } from './dto/evaluation.dto';
import { CreateVisitDto, VisitCreatedDto, VisitDto, VisitPageDto } from './dto/visit.dto';
import { VisitsService } from './visits.service';

export class AmendmentResultDto extends EvaluationVersionDto {
  @ApiProperty({ type: () => [AlertDto], description: 'alerts the correction raised or updated' }) alerts: AlertDto[];
}

@ApiTags('visits')
@ApiBearerAuth()
@Controller('api/v1')
export class VisitsController {
  constructor(
    private readonly visits: VisitsService,
    private readonly amendments: AmendmentsService,
  ) {}

  @Post('patients/:id/visits')
  @Idempotent()
  @Roles(...CLINICAL_ROLES)
  @ApiOperation({ summary: 'Log a visit: evaluations of existing deposits, new deposits and labs, in one transaction' })
  @ApiCreatedResponse({ type: VisitCreatedDto })
  create(@CurrentUser() actor: AuthUser, @Param('id', new UuidParamPipe('patient')) patientId: string, @Body() dto: CreateVisitDto): Promise<VisitCreatedDto> {
    return this.visits.create(actor, patientId, dto);
  }

  @Get('patients/:id/visits')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "A patient's visits with their evaluations, newest first" })
  @ApiOkResponse({ type: VisitPageDto })
  list(@CurrentUser() actor: AuthUser, @Param('id', new UuidParamPipe('patient')) patientId: string, @Query() query: PageQueryDto): Promise<VisitPageDto> {
    return this.visits.list(actor, patientId, query);
  }

  @Get('visits/:id')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'One visit with its evaluations, new deposits and lab results' })
  @ApiOkResponse({ type: VisitDto })
  get(@CurrentUser() actor: AuthUser, @Param('id', new UuidParamPipe('visit')) id: string): Promise<VisitDto> {
    return this.visits.get(actor, id);
  }

  @Post('evaluations/:id/amendments')
  @Roles(...CLINICAL_ROLES)
  @ApiOperation({ summary: 'Correct an evaluation: a new version with a reason; earlier versions are kept' })
  @ApiCreatedResponse({ type: AmendmentResultDto })
  amend(@CurrentUser() actor: AuthUser, @Param('id', new UuidParamPipe('evaluation')) id: string, @Body() dto: AmendEvaluationDto): Promise<AmendmentResult> {
    return this.amendments.amend(actor, id, dto);
  }

  @Get('evaluations/:id/history')
  @Roles(...CLINICAL_ROLES)
  @ApiOperation({ summary: 'Every version of an evaluation, oldest first, each with its reason, who and when' })
  @ApiOkResponse({ type: EvaluationHistoryDto })
  history(@CurrentUser() actor: AuthUser, @Param('id', new UuidParamPipe('evaluation')) id: string, @Query() query: PageQueryDto): Promise<EvaluationHistoryDto> {
    return this.amendments.history(actor, id, query);
  }
}
