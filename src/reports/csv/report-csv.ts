import { methodClassOf } from '../../change-detection/types';
import { CSV_BOM, csvRow, type CsvValue } from '../../common/csv/csv';
import type { DepositCourse } from '../../deposits/deposit-course';
import type { EvaluationDto } from '../../visits/dto/evaluation.dto';
import type { PatientReportDto, ReportDepositDto } from '../dto/patient-report.dto';
import { courseAsOfEach } from '../course-as-of';

/** What one row knows: the evaluation, its deposit, and the deposit's course as of that evaluation. */
interface RowContext {
  report: PatientReportDto;
  deposit: ReportDepositDto;
  evaluation: EvaluationDto;
  asOf: DepositCourse;
  reason: string | null;
}

type Column = [header: string, value: (row: RowContext) => CsvValue];

/** The columns, in order; units are in the headers so the cells stay plain numbers. */
const COLUMNS: Column[] = [
  ['patient_mrn', (r) => r.report.patient.mrn],
  ['patient_name', (r) => r.report.patient.name],
  ['deposit_label', (r) => r.deposit.label],
  ['deposit_site', (r) => r.deposit.site],
  ['deposit_site_detail', (r) => r.deposit.siteDetail],
  ['deposit_laterality', (r) => r.deposit.laterality],
  ['deposit_depth', (r) => r.deposit.depth],
  ['deposit_status', (r) => r.deposit.status],
  ['visit_date', (r) => r.evaluation.visitDate],
  ['method', (r) => r.evaluation.method],
  ['method_class', (r) => methodClassOf(r.evaluation.method)],
  ['longest_diameter_mm', (r) => r.evaluation.longestDiameterMm],
  ['perpendicular_diameter_mm', (r) => r.evaluation.perpendicularDiameterMm],
  ['depth_mm', (r) => r.evaluation.depthMm],
  ['area_mm2', (r) => r.evaluation.areaMm2],
  ['volume_mm3', (r) => r.evaluation.volumeMm3],
  ['shape', (r) => r.evaluation.shape],
  ['margin', (r) => r.evaluation.margin],
  ['position_landmark', (r) => r.evaluation.position?.landmark],
  ['position_x_mm', (r) => r.evaluation.position?.xMm],
  ['position_y_mm', (r) => r.evaluation.position?.yMm],
  ['mobility', (r) => r.evaluation.mobility],
  ['ulcerated', (r) => r.evaluation.ulcerated],
  ['infection_signs', (r) => r.evaluation.infectionSigns],
  ['inflammation', (r) => r.evaluation.inflammation],
  ['nerve_compression', (r) => r.evaluation.nerveCompression],
  ['drainage', (r) => r.evaluation.drainage],
  ['pain_score', (r) => r.evaluation.painScore],
  ['version', (r) => r.evaluation.version],
  ['amendment_reason', (r) => r.reason],
  ['baseline_date', (r) => r.asOf.baseline?.visitDate],
  ['baseline_mm', (r) => r.asOf.baseline?.longestDiameterMm],
  ['change_since_baseline_mm', (r) => r.asOf.changeSinceBaseline?.mm],
  ['change_since_baseline_percent', (r) => r.asOf.changeSinceBaseline?.percent],
  ['nadir_date', (r) => r.asOf.nadir?.visitDate],
  ['nadir_mm', (r) => r.asOf.nadir?.longestDiameterMm],
  ['change_since_nadir_mm', (r) => r.asOf.changeSinceNadir?.mm],
  ['change_since_nadir_percent', (r) => r.asOf.changeSinceNadir?.percent],
  ['notes', (r) => r.evaluation.notes],
  ['evaluation_id', (r) => r.evaluation.id],
  ['deposit_id', (r) => r.deposit.id],
];

export const REPORT_CSV_HEADER: readonly string[] = COLUMNS.map(([header]) => header);

/**
 * One row per evaluation, deposit by deposit, oldest first. The changes are those the deposit showed
 * at that evaluation: baseline and nadir among the evaluations up to and including it, in its method
 * class (deposit-course's noise guard), so a row never compares an X-ray with a caliper.
 */
export function reportCsvRows(report: PatientReportDto): CsvValue[][] {
  return report.deposits.flatMap((deposit) => {
    const courses = courseAsOfEach(deposit.evaluations);
    return deposit.evaluations.map((evaluation, i) => {
      const reason = deposit.amendments.find((v) => v.id === evaluation.id && v.version === evaluation.version)?.reason ?? null;
      const row: RowContext = { report, deposit, evaluation, asOf: courses[i], reason };
      return COLUMNS.map(([, value]) => value(row));
    });
  });
}

/** UTF-8 with a byte order mark, CRLF line ends, RFC 4180 quoting, formula-like cells neutralised (csv.ts). */
export function toReportCsv(report: PatientReportDto): string {
  return CSV_BOM + csvRow([...REPORT_CSV_HEADER]) + reportCsvRows(report).map(csvRow).join('');
}
