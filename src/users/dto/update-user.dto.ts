import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsNotBlank, IsOmittable } from '../../common/validation/validators';
import { ROLES, type Role } from '../user.entity';

export class UpdateUserDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOmittable()
  @IsNotBlank()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOmittable()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ description: 'false disables the account at once' })
  @IsOmittable()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  specialty?: string | null;

  @ApiPropertyOptional({ minLength: 12, maxLength: 200, format: 'password' })
  @IsOmittable()
  @IsString()
  @MinLength(12)
  @MaxLength(200)
  password?: string;
}
