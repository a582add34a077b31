import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
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

export class LoginResponseDto {
  @ApiProperty({ description: 'bearer token for the Authorization header' })
  accessToken: string;

  @ApiProperty({ description: 'seconds until the token expires', example: 900 })
  expiresIn: number;

  @ApiProperty({ type: () => UserSummaryDto })
  user: UserSummaryDto;
}
