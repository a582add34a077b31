import { Controller, Get, Header, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { ALL_ROLES, CurrentUser, Roles } from '../auth/auth.decorators';
import { UuidParamPipe } from '../common/http/uuid-param.pipe';
import { PatientReportDto } from './dto/patient-report.dto';
import { ReportQueryDto } from './dto/report-query.dto';
import { attachmentDisposition } from './report-filename';
import { REPORT_MEDIA_TYPES } from './report-format';
import { ReportsService } from './reports.service';

const FORMATS_DESCRIPTION = [
  'format=json (default): the whole history (PatientReportDto).',
  'format=csv: text/csv; charset=utf-8 with a byte order mark, one row per evaluation (MRN, deposit, visit date, method, every measurement, signs, pain, version, change since baseline and nadir as they stood then); formula-like cells neutralised.',
  'format=pdf: application/pdf, a printable consultation report (patient header, per deposit a trend chart with baseline, nadir and treatment spans and a table of evaluations, treatments, labs, alerts and decisions).',
  'format=fhir: application/fhir+json, a FHIR R4 Bundle of type collection (Patient, Condition, BodyStructure per deposit, Observation per measured value and lab, MedicationStatement/Procedure/CarePlan per treatment, DetectedIssue per alert with the decision as mitigation).',
  'csv, pdf and fhir come as an attachment named after the MRN and the date.',
].join(' ');

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('patients/:id/report')
  @Roles(...ALL_ROLES)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "The patient's full history report: JSON, CSV, a printable PDF, or a FHIR R4 Bundle" })
  @ApiProduces(REPORT_MEDIA_TYPES.json, REPORT_MEDIA_TYPES.csv, REPORT_MEDIA_TYPES.pdf, REPORT_MEDIA_TYPES.fhir)
  @ApiExtraModels(PatientReportDto)
  @ApiOkResponse({
    description: FORMATS_DESCRIPTION,
    content: {
      [REPORT_MEDIA_TYPES.json]: { schema: { $ref: getSchemaPath(PatientReportDto) } },
      [REPORT_MEDIA_TYPES.csv]: { schema: { type: 'string', description: 'RFC 4180 CSV with a header row' } },
      [REPORT_MEDIA_TYPES.pdf]: { schema: { type: 'string', format: 'binary' } },
      [REPORT_MEDIA_TYPES.fhir]: { schema: { type: 'object', description: 'FHIR R4 Bundle (type collection)', additionalProperties: true } },
    },
  })
  async get(
    @CurrentUser() actor: AuthUser,
    @Param('id', new UuidParamPipe('patient')) patientId: string,
    @Query() query: ReportQueryDto,
  ): Promise<PatientReportDto | StreamableFile> {
    const rendered = await this.reports.render(actor, patientId, query.format ?? 'json');
    if (rendered.format === 'json') return rendered.report;
    return new StreamableFile(rendered.content, { type: rendered.contentType, disposition: attachmentDisposition(rendered.filename), length: rendered.content.length });
  }
}
