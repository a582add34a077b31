import { Idempotent } from '../idempotency/idempotency';
import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { CLINICAL_ROLES, CurrentUser, Roles } from '../auth/auth.decorators';
import { etagOf, parseIfMatch } from '../common/http/etag';
import { PageQueryDto } from '../common/http/pagination';
import { UuidParamPipe } from '../common/http/uuid-param.pipe';
import { CreateTreatmentDto, TreatmentDto, TreatmentPageDto, UpdateTreatmentDto } from './dto/treatment.dto';
import { TreatmentsService } from './treatments.service';

@ApiTags('treatments')
@ApiBearerAuth()
@Roles(...CLINICAL_ROLES)
@Controller('api/v1')
export class TreatmentsController {
  constructor(private readonly treatments: TreatmentsService) {}

  @Post('patients/:id/treatments')
  @Idempotent()
  @ApiOperation({ summary: 'Record a treatment of a patient, optionally targeting one of its deposits (carries an ETag)' })
  @ApiCreatedResponse({ type: TreatmentDto })
  async create(
    @CurrentUser() actor: AuthUser,
    @Param('id', new UuidParamPipe('patient')) patientId: string,
    @Body() dto: CreateTreatmentDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TreatmentDto> {
    const treatment = await this.treatments.create(actor, patientId, dto);
    res.setHeader('ETag', etagOf(treatment.version));
    return treatment;
  }

  @Get('patients/:id/treatments')
  @ApiOperation({ summary: "The patient's treatments with their tier, oldest start first" })
  @ApiOkResponse({ type: TreatmentPageDto })
  list(@CurrentUser() actor: AuthUser, @Param('id', new UuidParamPipe('patient')) patientId: string, @Query() query: PageQueryDto): Promise<TreatmentPageDto> {
    return this.treatments.list(actor, patientId, query);
  }

  @Patch('treatments/:id')
  @ApiOperation({ summary: 'Change a treatment: end it, record its outcome, correct its details (carries an ETag)' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the ETag last read; 412 when stale' })
  @ApiOkResponse({ type: TreatmentDto })
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id', new UuidParamPipe('treatment')) id: string,
    @Body() dto: UpdateTreatmentDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TreatmentDto> {
    const treatment = await this.treatments.update(actor, id, dto, parseIfMatch(ifMatch));
    res.setHeader('ETag', etagOf(treatment.version));
    return treatment;
  }
}
