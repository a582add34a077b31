import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { ALL_ROLES, CurrentUser, Roles } from '../auth/auth.decorators';
import { PageQueryDto } from '../common/http/pagination';
import { UuidParamPipe } from '../common/http/uuid-param.pipe';
import { CreateUserDto } from './dto/create-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { PhysicianPageDto, UserDto, UserPageDto } from './dto/user-response.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({ summary: "Create a user in the admin's clinic" })
  @ApiCreatedResponse({ type: UserDto })
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: "List the clinic's users" })
  @ApiOkResponse({ type: UserPageDto })
  list(@CurrentUser() actor: AuthUser, @Query() query: PageQueryDto): Promise<UserPageDto> {
    return this.users.list(actor, query);
  }

  @Get('physicians')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "The clinic's active physicians by name (id, name, specialty): whom a patient's responsible physician may be" })
  @ApiOkResponse({ type: PhysicianPageDto })
  physicians(@CurrentUser() actor: AuthUser, @Query() query: PageQueryDto): Promise<PhysicianPageDto> {
    return this.users.physicians(actor, query);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a user: name, role, specialty, password, or disable the account' })
  @ApiOkResponse({ type: UserDto })
  update(@CurrentUser() actor: AuthUser, @Param('id', new UuidParamPipe('user')) id: string, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return this.users.update(actor, id, dto);
  }
}
