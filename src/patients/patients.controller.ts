import { Idempotent } from '../idempotency/idempotency';
import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { ALL_ROLES, CurrentUser, Roles } from '../auth/auth.decorators';
import { etagOf, parseIfMatch } from '../common/http/etag';
import { UuidParamPipe } from '../common/http/uuid-param.pipe';
import { CreatePatientDto, PatientDetailDto, PatientDto, PatientPageDto, PatientQueryDto, UpdatePatientDto } from './dto/patient.dto';
import { PatientsService } from './patients.service';

@ApiTags('patients')
@ApiBearerAuth()
@Roles(...ALL_ROLES)
@Controller('api/v1/patients')
export class PatientsController {
  constructor(private readonly patients: PatientsService) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Register a patient (MRN unique within the clinic: 409 otherwise)' })
  @ApiCreatedResponse({ type: PatientDto })
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreatePatientDto): Promise<PatientDto> {
    return this.patients.create(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: "List the clinic's patients by name; `search` matches part of the name or MRN" })
  @ApiOkResponse({ type: PatientPageDto })
  list(@CurrentUser() actor: AuthUser, @Query() query: PatientQueryDto): Promise<PatientPageDto> {
    return this.patients.list(actor, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One patient with their current tier (carries an ETag)' })
  @ApiOkResponse({ type: PatientDetailDto })
  async get(@CurrentUser() actor: AuthUser, @Param('id', new UuidParamPipe('patient')) id: string, @Res({ passthrough: true }) res: Response): Promise<PatientDetailDto> {
    const patient = await this.patients.get(actor, id);
    res.setHeader('ETag', etagOf(patient.version));
    return patient;
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change a patient's details" })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the ETag last read; 412 when stale' })
  @ApiOkResponse({ type: PatientDto })
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id', new UuidParamPipe('patient')) id: string,
    @Body() dto: UpdatePatientDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PatientDto> {
    const patient = await this.patients.update(actor, id, dto, parseIfMatch(ifMatch));
    res.setHeader('ETag', etagOf(patient.version));
    return patient;
  }
}
