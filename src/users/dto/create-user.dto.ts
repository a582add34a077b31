import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '../user.entity';
import { IsNotBlank } from '../../common/validation/validators';

export class CreateUserDto {
  @ApiProperty({ example: 'dr.jones@clinic.example', format: 'email', maxLength: 254 })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Dr. A. Jones', minLength: 1, maxLength: 200, pattern: '\\S' })
  @IsNotBlank()
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiProperty({ minLength: 12, maxLength: 200, format: 'password' })
  @IsString()
  @MinLength(12)
  @MaxLength(200)
  password: string;

  @ApiPropertyOptional({ example: 'rheumatology', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  specialty?: string;
}
