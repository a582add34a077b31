import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '../user.entity';

export class UserSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ format: 'uuid' }) clinicId: string;
}

export class UserDto extends UserSummaryDto {
  @ApiPropertyOptional({ type: String, nullable: true }) specialty: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class UserPageDto {
  @ApiProperty({ type: () => [UserDto] }) items: UserDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

/** A physician as the patient forms offer them: no e-mail address, no account state. */
export class PhysicianDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ type: String, nullable: true }) specialty: string | null;
}

export class PhysicianPageDto {
  @ApiProperty({ type: () => [PhysicianDto] }) items: PhysicianDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
