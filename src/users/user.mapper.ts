import type { UserDto, UserSummaryDto } from './dto/user-response.dto';
import type { User } from './user.entity';

export function toUserSummary(user: User): UserSummaryDto {
  return { id: user.id, email: user.email, name: user.name, role: user.role, clinicId: user.clinicId };
}

/** Lists its fields: the password hash can never reach a response. */
export function toUserDto(user: User): UserDto {
  return { ...toUserSummary(user), specialty: user.specialty, active: user.active, createdAt: user.createdAt };
}
