import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { ALL_ROLES, CurrentUser, Roles } from '../auth/auth.decorators';
import { etagOf, parseIfMatch } from '../common/http/etag';
import { PageQueryDto } from '../common/http/pagination';
import { UuidParamPipe } from '../common/http/uuid-param.pipe';
import { DepositsService } from './deposits.service';
import { CreateDepositDto, UpdateDepositDto } from './dto/deposit-input.dto';
import { DepositDetailDto, DepositDto, DepositPageDto } from './dto/deposit.dto';

@ApiTags('deposits')
@ApiBearerAuth()
@Roles(...ALL_ROLES)
@Controller('api/v1')
export class DepositsController {
  constructor(private readonly deposits: DepositsService) {}

  @Post('patients/:id/deposits')
  @ApiOperation({ summary: 'Register a deposit outside a visit (a visit can also record new deposits with their first evaluation)' })
  @ApiCreatedResponse({ type: DepositDto })
  create(@CurrentUser() actor: AuthUser, @Param('id', new UuidParamPipe('patient')) patientId: string, @Body() dto: CreateDepositDto): Promise<DepositDto> {
    return this.deposits.create(actor, patientId, dto);
  }

  @Get('patients/:id/deposits')
  @ApiOperation({ summary: "A patient's deposits, each with its latest evaluation" })
  @ApiOkResponse({ type: DepositPageDto })
  list(@CurrentUser() actor: AuthUser, @Param('id', new UuidParamPipe('patient')) patientId: string, @Query() query: PageQueryDto): Promise<DepositPageDto> {
    return this.deposits.list(actor, patientId, query);
  }

  @Get('deposits/:id')
  @ApiOperation({ summary: 'One deposit with every evaluation, baseline, nadir, latest and the change since each (carries an ETag)' })
  @ApiOkResponse({ type: DepositDetailDto })
  async get(@CurrentUser() actor: AuthUser, @Param('id', new UuidParamPipe('deposit')) id: string, @Res({ passthrough: true }) res: Response): Promise<DepositDetailDto> {
    const deposit = await this.deposits.get(actor, id);
    res.setHeader('ETag', etagOf(deposit.version));
    return deposit;
  }

  @Patch('deposits/:id')
  @ApiOperation({ summary: "Change a deposit's description or status (resolved, excised)" })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the ETag last read; 412 when stale' })
  @ApiOkResponse({ type: DepositDetailDto })
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id', new UuidParamPipe('deposit')) id: string,
    @Body() dto: UpdateDepositDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DepositDetailDto> {
    const deposit = await this.deposits.update(actor, id, dto, parseIfMatch(ifMatch));
    res.setHeader('ETag', etagOf(deposit.version));
    return deposit;
  }
}
