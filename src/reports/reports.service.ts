import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { toReportCsv } from './csv/report-csv';
import type { PatientReportDto } from './dto/patient-report.dto';
import { toFhirBundle } from './fhir/report-fhir.mapper';
import { renderReportPdf } from './pdf/report-pdf.renderer';
import { reportFilename } from './report-filename';
import { REPORT_EXTENSIONS, REPORT_MEDIA_TYPES, type ReportFormat } from './report-format';
import { PatientReportLoader } from './report.loader';
import { toPatientReport } from './report.mapper';

export type RenderedReport =
  | { format: 'json'; report: PatientReportDto }
  | { format: Exclude<ReportFormat, 'json'>; contentType: string; filename: string; content: Buffer };

@Injectable()
export class ReportsService {
  constructor(private readonly loader: PatientReportLoader) {}

  /** The patient's full history in the asked-for format; another clinic's patient is a 404. */
  async render(actor: AuthUser, patientId: string, format: ReportFormat, now: Date = new Date()): Promise<RenderedReport> {
    const records = await this.loader.load(actor.clinicId, patientId);
    const report = toPatientReport(records, now);
    if (format === 'json') return { format, report };
    const content =
      format === 'csv'
        ? Buffer.from(toReportCsv(report), 'utf8')
        : format === 'pdf'
          ? await renderReportPdf(report)
          : Buffer.from(JSON.stringify(toFhirBundle(report, records.patient.clinicId), null, 2), 'utf8');
    return { format, contentType: REPORT_MEDIA_TYPES[format], filename: reportFilename(report.patient, report.generatedAt.slice(0, 10), REPORT_EXTENSIONS[format]), content };
  }
}
