import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsCalendarDate } from '../../common/validation/validators';
import { EXPORT_FORMATS, type ExportFormat } from '../evaluation-export.format';

export class EvaluationExportQueryDto {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'csv', description: 'csv (UTF-8 with BOM, header row) or ndjson (one JSON object per line)' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: `format must be one of ${EXPORT_FORMATS.join(', ')}` })
  format?: ExportFormat;

  @ApiPropertyOptional({ format: 'date', example: '2024-01-01', description: 'only evaluations of visits on or after this date (YYYY-MM-DD)' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ format: 'date', example: '2024-12-31', description: 'only evaluations of visits on or before this date (YYYY-MM-DD); not before `from`' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}
