import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from './auth-user';
import { ALL_ROLES, CurrentUser, Public, Roles } from './auth.decorators';
import { AuthService, type ClientInfo } from './auth.service';
import { LoginDto, LoginResponseDto, RefreshDto } from './dto/login.dto';
import { clearRefreshCookie, isJsonRequest, refreshCookieOf, setRefreshCookie } from './refresh-cookie';
import { DomainError } from '../common/errors/domain-error';

function clientOf(req: Request & { id?: string }): ClientInfo {
  return { ip: req.ip ?? null, requestId: req.id ?? null };
}

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for a short-lived bearer token and a refresh token' })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiUnauthorizedResponse({ description: 'wrong email or password, or the account is disabled' })
  @ApiTooManyRequestsResponse({ description: 'too many failed logins for the account or from the address' })
  async login(@Body() dto: LoginDto, @Req() req: Request & { id?: string }, @Res({ passthrough: true }) res: Response): Promise<LoginResponseDto> {
    const tokens = await this.auth.login(dto.email, dto.password, clientOf(req));
    setRefreshCookie(req, res, tokens.refreshToken!, tokens.sessionExpiresAt);
    return tokens;
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'New tokens for a refresh token (in the body, or else the calcitrack_refresh cookie); the refresh token rotates, and an old one used again ends the session',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiUnauthorizedResponse({ description: 'the refresh token is invalid, expired, revoked or already used' })
  async refresh(@Body() dto: RefreshDto, @Req() req: Request & { id?: string }, @Res({ passthrough: true }) res: Response): Promise<LoginResponseDto> {
    const fromCookie = dto.refreshToken === undefined;
    const presented = fromCookie ? refreshCookieOf(req) : dto.refreshToken!;
    // bad requests (400), not failed authentications: nothing was presented that could be checked
    if (presented === null) throw DomainError.invalid('refreshToken', 'is required, unless the session cookie is sent');
    if (fromCookie && !isJsonRequest(req)) throw DomainError.invalid('body', 'a refresh with the session cookie must be sent as JSON (Content-Type: application/json)');
    let tokens: LoginResponseDto;
    try {
      tokens = await this.auth.refresh(presented, clientOf(req));
    } catch (err) {
      // a refused cookie is of no further use: the browser drops it
      if (fromCookie) clearRefreshCookie(req, res);
      throw err;
    }
    setRefreshCookie(req, res, tokens.refreshToken!, tokens.sessionExpiresAt);
    // the browser's refresh token stays in the cookie: no script on the page ever sees it
    return fromCookie ? { ...tokens, refreshToken: null } : tokens;
  }

  @Post('logout')
  @Roles(...ALL_ROLES)
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiOperation({ summary: 'End this login session: its access and refresh tokens stop working at once' })
  @ApiNoContentResponse({ description: 'the session is ended' })
  async logout(@CurrentUser() actor: AuthUser, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(actor);
    // the cookie is never sent here (its path is the refresh route), but an expired one with the same path replaces it
    clearRefreshCookie(req, res);
  }
}
