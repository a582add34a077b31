import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { ALL_ROLES, CurrentUser, Roles } from '../auth/auth.decorators';
import { etagOf, parseIfMatch } from '../common/http/etag';
import { UuidParamPipe } from '../common/http/uuid-param.pipe';
import { AlertsService } from './alerts.service';
import { AlertQueryDto } from './dto/alert-query.dto';
import { AlertDetailDto, AlertPageDto } from './dto/alert.dto';
import { ResolveAlertDto } from './dto/resolve-alert.dto';

const IF_MATCH = { name: 'If-Match', required: false, description: 'the ETag last read; 412 when stale' };

@ApiTags('alerts')
@ApiBearerAuth()
@Roles(...ALL_ROLES)
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiOperation({ summary: 'The alert inbox: unresolved alerts unless `status` says otherwise, most severe first, then oldest first' })
  @ApiOkResponse({ type: AlertPageDto })
  async list(@CurrentUser() actor: AuthUser, @Query() query: AlertQueryDto, @Res({ passthrough: true }) res: Response): Promise<string> {
    const page = await this.alerts.list(actor, query); // AlertPageDto, as JSON text
    res.type('application/json');
    return page;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One alert with its evidence history (carries an ETag)' })
  @ApiOkResponse({ type: AlertDetailDto })
  async get(@CurrentUser() actor: AuthUser, @Param('id', new UuidParamPipe('alert')) id: string, @Res({ passthrough: true }) res: Response): Promise<AlertDetailDto> {
    return withEtag(res, await this.alerts.get(actor, id));
  }

  @Post(':id/acknowledge')
  @Roles('physician')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Acknowledge an open alert (idempotent; 409 once resolved)' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: AlertDetailDto })
  async acknowledge(
    @CurrentUser() actor: AuthUser,
    @Param('id', new UuidParamPipe('alert')) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AlertDetailDto> {
    return withEtag(res, await this.alerts.acknowledge(actor, id, parseIfMatch(ifMatch)));
  }

  @Post(':id/resolve')
  @Roles('physician')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Resolve an alert with the physician's decision (escalate, continue, or dismiss with a note); 409 once resolved" })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: AlertDetailDto })
  async resolve(
    @CurrentUser() actor: AuthUser,
    @Param('id', new UuidParamPipe('alert')) id: string,
    @Body() dto: ResolveAlertDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AlertDetailDto> {
    return withEtag(res, await this.alerts.resolve(actor, id, dto, parseIfMatch(ifMatch)));
  }
}

function withEtag(res: Response, alert: AlertDetailDto): AlertDetailDto {
  res.setHeader('ETag', etagOf(alert.version));
  return alert;
}
