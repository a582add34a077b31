import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { AuditService } from './audit.service';
import { AuditEventPageDto, AuditQueryDto } from './dto/audit-event.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: "The clinic's audit trail, newest first: who did what to which record, when, from where, and the outcome" })
  @ApiOkResponse({ type: AuditEventPageDto })
  list(@CurrentUser() actor: AuthUser, @Query() query: AuditQueryDto): Promise<AuditEventPageDto> {
    return this.audit.list(actor, query);
  }
}
