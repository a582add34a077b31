import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsNotBlank } from '../../common/validation/validators';
import { DECISIONS, type Decision } from './alert.dto';

export const NOTE_MAX_LENGTH = 4000;

export class ResolveAlertDto {
  @ApiProperty({ enum: DECISIONS, description: 'escalate the treatment, continue as is, or dismiss the alert' })
  @IsIn(DECISIONS)
  decision: Decision;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: NOTE_MAX_LENGTH, description: 'the reasoning; required when dismissing' })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(NOTE_MAX_LENGTH)
  note?: string | null;
}
