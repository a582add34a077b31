import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { NoRequestTransaction } from '../database/request-transaction.interceptor';
import { EvaluationExportQueryDto } from './dto/evaluation-export-query.dto';
import { EXPORT_COLUMNS } from './evaluation-export.columns';
import { EvaluationExportService } from './evaluation-export.service';

const COLUMNS_DOC = EXPORT_COLUMNS.map((c) => `- \`${c.name}\`: ${c.description}`).join('\n');
const FILE = { type: 'string', format: 'binary' } as const;

@ApiTags('exports')
@ApiBearerAuth()
@Controller('api/v1/exports')
export class ExportsController {
  constructor(private readonly exports: EvaluationExportService) {}

  @Get('evaluations')
  @Roles('physician', 'admin')
  @NoRequestTransaction()
  @ApiOperation({
    summary: "Stream the clinic's evaluations (current version of each) as CSV or NDJSON",
    description:
      'One row per evaluation, ordered by deposit, visit date and entry, streamed from one consistent snapshot. ' +
      'A download cut short (client or database gone) ends without its final chunk: compare the row count with what you expect.',
  })
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOkResponse({
    description: `CSV (UTF-8 with BOM, CRLF, header row; cells a spreadsheet would run as a formula start with an apostrophe) or NDJSON (one JSON object per line, the same camelCase keys). Columns, in order:\n${COLUMNS_DOC}`,
    content: { 'text/csv': { schema: FILE }, 'application/x-ndjson': { schema: FILE } },
  })
  @ApiBadRequestResponse({ description: 'a bad format, from or to (the message names the field); to before from' })
  @ApiForbiddenResponse({ description: 'staff may not export the whole clinic' })
  @ApiTooManyRequestsResponse({ description: 'too many exports running on this instance; retry after Retry-After seconds' })
  evaluations(@CurrentUser() actor: AuthUser, @Query() query: EvaluationExportQueryDto, @Req() req: Request & { id?: string }, @Res() res: Response): Promise<void> {
    return this.exports.start(actor, query, res, req.id);
  }
}
