import { Body, Controller, Get, Headers, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { ALL_ROLES, CurrentUser, Roles } from '../auth/auth.decorators';
import { etagOf, parseIfMatch } from '../common/http/etag';
import { NotificationPreferencesDto, NotificationSettingsDto, UpdateNotificationPreferencesDto, UpdateNotificationSettingsDto } from './dto/notification-settings.dto';
import { NotificationSettingsService } from './notification-settings.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1')
export class NotificationSettingsController {
  constructor(private readonly settings: NotificationSettingsService) {}

  @Get('notification-settings')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "The clinic's notification settings (who is e-mailed for what, the daily digest) and their version (carries an ETag)" })
  @ApiOkResponse({ type: NotificationSettingsDto })
  async get(@CurrentUser() actor: AuthUser, @Res({ passthrough: true }) res: Response): Promise<NotificationSettingsDto> {
    return withEtag(res, await this.settings.current(actor));
  }

  @Put('notification-settings')
  @Roles('admin')
  @ApiOperation({ summary: 'Change some notification settings: writes a new version (the rest keep their value); a PUT that changes nothing stores nothing' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the ETag last read; 412 when stale' })
  @ApiOkResponse({ type: NotificationSettingsDto })
  async update(
    @CurrentUser() actor: AuthUser,
    @Body() dto: UpdateNotificationSettingsDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<NotificationSettingsDto> {
    return withEtag(res, await this.settings.update(actor, dto, parseIfMatch(ifMatch)));
  }

  @Get('notification-preferences')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Your own notification preferences (the daily digest opt-out)' })
  @ApiOkResponse({ type: NotificationPreferencesDto })
  preferences(@CurrentUser() actor: AuthUser): Promise<NotificationPreferencesDto> {
    return this.settings.preferences(actor);
  }

  @Put('notification-preferences')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Set your own notification preferences: `dailyDigest: false` opts you out of the daily digest' })
  @ApiOkResponse({ type: NotificationPreferencesDto })
  updatePreferences(@CurrentUser() actor: AuthUser, @Body() dto: UpdateNotificationPreferencesDto): Promise<NotificationPreferencesDto> {
    return this.settings.updatePreferences(actor, dto);
  }
}

function withEtag(res: Response, settings: NotificationSettingsDto): NotificationSettingsDto {
  res.setHeader('ETag', etagOf(settings.version));
  return settings;
}
