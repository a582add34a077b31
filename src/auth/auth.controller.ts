import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthUser } from './auth-user';
import { ALL_ROLES, CurrentUser, Public, Roles } from './auth.decorators';
import { AuthService, type ClientInfo } from './auth.service';
import { LoginDto, LoginResponseDto, RefreshDto } from './dto/login.dto';

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
  login(@Body() dto: LoginDto, @Req() req: Request & { id?: string }): Promise<LoginResponseDto> {
    return this.auth.login(dto.email, dto.password, clientOf(req));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'New tokens for a refresh token; the refresh token rotates, and an old one used again ends the session' })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiUnauthorizedResponse({ description: 'the refresh token is invalid, expired, revoked or already used' })
  refresh(@Body() dto: RefreshDto, @Req() req: Request & { id?: string }): Promise<LoginResponseDto> {
    return this.auth.refresh(dto.refreshToken, clientOf(req));
  }

  @Post('logout')
  @Roles(...ALL_ROLES)
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiOperation({ summary: 'End this login session: its access and refresh tokens stop working at once' })
  @ApiNoContentResponse({ description: 'the session is ended' })
  logout(@CurrentUser() actor: AuthUser): Promise<void> {
    return this.auth.logout(actor);
  }
}
