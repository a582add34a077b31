import { Idempotent } from '../idempotency/idempotency';
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CLINICAL_ROLES, CurrentUser, Roles } from '../auth/auth.decorators';
import { PageQueryDto } from '../common/http/pagination';
import { UuidParamPipe } from '../common/http/uuid-param.pipe';
import { LabInputDto, LabResultDto, LabResultPageDto } from './dto/lab.dto';
import { LabsService } from './labs.service';

@ApiTags('labs')
@ApiBearerAuth()
@Roles(...CLINICAL_ROLES)
@Controller('api/v1/patients/:id/labs')
export class LabsController {
  constructor(private readonly labs: LabsService) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Record a lab result: values in conventional or SI units, stored in conventional units with corrected calcium and Ca×P' })
  @ApiCreatedResponse({ type: LabResultDto })
  create(@CurrentUser() actor: AuthUser, @Param('id', new UuidParamPipe('patient')) patientId: string, @Body() dto: LabInputDto): Promise<LabResultDto> {
    return this.labs.create(actor, patientId, dto);
  }

  @Get()
  @ApiOperation({ summary: "The patient's lab results, newest sample first" })
  @ApiOkResponse({ type: LabResultPageDto })
  list(@CurrentUser() actor: AuthUser, @Param('id', new UuidParamPipe('patient')) patientId: string, @Query() query: PageQueryDto): Promise<LabResultPageDto> {
    return this.labs.list(actor, patientId, query);
  }
}
