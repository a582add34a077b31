import PDFDocument from 'pdfkit';
import type { PatientReportDto } from '../dto/patient-report.dto';
import { PAGE, PdfPage } from './pdf-page';
import { alertsSection, depositsSection, labsSection, patientHeader, treatmentsSection } from './report-pdf.sections';

/** Running header and footer on every page, written once the page count is known. */
function pageFurniture(page: PdfPage, report: PatientReportDto): void {
  const doc = page.doc;
  const range = doc.bufferedPageRange();
  const p = report.patient;
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    // writing in the margins must not make pdfkit open a page
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const width = doc.page.width - PAGE.margin.left - PAGE.margin.right;
    if (i > range.start) page.at(`Calcinosis follow-up report - ${p.name} - MRN ${p.mrn}`, PAGE.margin.left, 22, { size: 7.5, grey: 0.35 }, { width });
    page.at(
      `Calcitrack - ${p.name} - MRN ${p.mrn} - generated ${report.generatedAt.slice(0, 10)} - page ${i - range.start + 1} of ${range.count}`,
      PAGE.margin.left,
      doc.page.height - 36,
      { size: 7.5, grey: 0.35 },
      { width, align: 'center' },
    );
    doc.page.margins.bottom = bottomMargin;
  }
}

/**
 * The printable report: patient header, then per deposit its course, trend chart (vector, greys
 * only) and evaluation table, then treatments, labs, and alerts with their decisions. Helvetica
 * only, so the text stays real text a reader (or a test) can extract.
 */
export function renderReportPdf(report: PatientReportDto): Promise<Buffer> {
  const doc = new PDFDocument({
    size: PAGE.size,
    margins: PAGE.margin,
    bufferPages: true,
    info: {
      Title: `Calcinosis follow-up report - MRN ${report.patient.mrn}`,
      Author: 'Calcitrack',
      Subject: 'Patient history report',
      CreationDate: new Date(report.generatedAt),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const page = new PdfPage(doc);
  patientHeader(page, report);
  depositsSection(page, report);
  treatmentsSection(page, report);
  labsSection(page, report);
  alertsSection(page, report);
  pageFurniture(page, report);
  doc.end();
  return done;
}
