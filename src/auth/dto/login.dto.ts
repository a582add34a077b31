import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { UserSummaryDto } from '../../users/dto/user-response.dto';

export class LoginDto {
  @ApiProperty({ example: 'physician@demo.local' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'calcitrack-demo', format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class RefreshDto {
  @ApiPropertyOptional({
    description:
      'the refresh token of the last login or refresh (each works once). Without it the `calcitrack_refresh` cookie set by login is used; ' +
      'such a request must be sent with Content-Type: application/json (a body of `{}`)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[A-Za-z0-9_-]{20,100}$/, { message: 'refreshToken is not a refresh token' })
  refreshToken?: string;
}

export class LoginResponseDto {
  @ApiProperty({ description: 'bearer token for the Authorization header' })
  accessToken: string;

  @ApiProperty({ description: 'seconds until the access token expires', example: 900 })
  expiresIn: number;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'exchange it at /auth/refresh for new tokens; it rotates on every use. Also set as the httpOnly `calcitrack_refresh` cookie ' +
      '(Path=/api/v1/auth/refresh, SameSite=Strict); null when the refresh came with that cookie, so the new token travels only in the cookie',
  })
  refreshToken: string | null;

  @ApiProperty({ type: String, format: 'date-time', description: 'the session ends then, however often it is refreshed' })
  sessionExpiresAt: Date;

  @ApiProperty({ type: () => UserSummaryDto })
  user: UserSummaryDto;
}
