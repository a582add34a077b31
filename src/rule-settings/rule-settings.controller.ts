import { Body, Controller, Get, Headers, HttpCode, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { ALL_ROLES, CurrentUser, Roles } from '../auth/auth.decorators';
import { etagOf, parseIfMatch } from '../common/http/etag';
import { PageQueryDto } from '../common/http/pagination';
import { NoRequestTransaction } from '../database/request-transaction.interceptor';
import { RuleSettingsDto, RuleSettingsVersionPageDto, UpdateRuleSettingsDto } from './dto/rule-settings.dto';
import { RuleSimulationDto } from './dto/rule-simulation.dto';
import { RuleSettingsService } from './rule-settings.service';
import { RuleSimulationService } from './rule-simulation.service';

@ApiTags('rule-settings')
@ApiBearerAuth()
@Controller('api/v1/rule-settings')
export class RuleSettingsController {
  constructor(
    private readonly ruleSettings: RuleSettingsService,
    private readonly simulation: RuleSimulationService,
  ) {}

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "The clinic's current rule thresholds and their version (carries an ETag)" })
  @ApiOkResponse({ type: RuleSettingsDto })
  async get(@CurrentUser() actor: AuthUser, @Res({ passthrough: true }) res: Response): Promise<RuleSettingsDto> {
    return withEtag(res, await this.ruleSettings.current(actor));
  }

  @Get('versions')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "Every version of the clinic's rule thresholds, newest first, with who wrote it and when" })
  @ApiOkResponse({ type: RuleSettingsVersionPageDto })
  versions(@CurrentUser() actor: AuthUser, @Query() query: PageQueryDto): Promise<RuleSettingsVersionPageDto> {
    return this.ruleSettings.versions(actor, query);
  }

  @Put()
  @Roles('admin')
  @ApiOperation({ summary: 'Change some thresholds: writes a new version (the rest keep their value); a PUT that changes nothing stores nothing' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the ETag last read; 412 when stale' })
  @ApiOkResponse({ type: RuleSettingsDto })
  async update(
    @CurrentUser() actor: AuthUser,
    @Body() dto: UpdateRuleSettingsDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RuleSettingsDto> {
    return withEtag(res, await this.ruleSettings.update(actor, dto, parseIfMatch(ifMatch)));
  }

  @Post('simulate')
  @HttpCode(200)
  @Roles('admin')
  @NoRequestTransaction()
  @ApiOperation({
    summary:
      'What candidate thresholds would cost, before saving them: the rules run over a seeded synthetic cohort (no patient data), ' +
      "per rule the share of unchanged deposits flagged, false alerts per patient-year, the share of changing deposits flagged and the delay, next to the clinic's current settings. Stores nothing",
  })
  @ApiOkResponse({ type: RuleSimulationDto })
  @ApiBadRequestResponse({ description: 'a threshold out of range, or contradicting another, named in details (as PUT)' })
  @ApiTooManyRequestsResponse({ description: 'other simulations are running in this instance; see Retry-After' })
  simulate(@CurrentUser() actor: AuthUser, @Body() dto: UpdateRuleSettingsDto, @Res({ passthrough: true }) res: Response): Promise<RuleSimulationDto> {
    return this.simulation.simulate(actor, dto, (seconds) => res.setHeader('Retry-After', String(seconds)));
  }
}

function withEtag(res: Response, settings: RuleSettingsDto): RuleSettingsDto {
  res.setHeader('ETag', etagOf(settings.version));
  return settings;
}
