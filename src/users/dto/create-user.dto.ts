import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '../user.entity';

export class CreateUserDto {
  @ApiProperty({ example: 'dr.jones@clinic.example' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Dr. A. Jones' })
  @IsString()
  @MinLength(1)
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

  @ApiPropertyOptional({ example: 'rheumatology' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  specialty?: string;
}
