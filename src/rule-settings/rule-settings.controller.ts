import { Body, Controller, Get, Headers, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { ALL_ROLES, CurrentUser, Roles } from '../auth/auth.decorators';
import { etagOf, parseIfMatch } from '../common/http/etag';
import { PageQueryDto } from '../common/http/pagination';
import { RuleSettingsDto, RuleSettingsVersionPageDto, UpdateRuleSettingsDto } from './dto/rule-settings.dto';
import { RuleSettingsService } from './rule-settings.service';

@ApiTags('rule-settings')
@ApiBearerAuth()
@Controller('api/v1/rule-settings')
export class RuleSettingsController {
  constructor(private readonly ruleSettings: RuleSettingsService) {}

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
}

function withEtag(res: Response, settings: RuleSettingsDto): RuleSettingsDto {
  res.setHeader('ETag', etagOf(settings.version));
  return settings;
}
