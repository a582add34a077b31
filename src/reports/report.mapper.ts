import { toAlertDto } from '../alerts/alert.mapper';
import { depositCourse } from '../deposits/deposit-course';
import { toDepositDto } from '../deposits/deposit.mapper';
import { toLabResultDto } from '../labs/lab-result.mapper';
import { toPatientDto } from '../patients/patient.mapper';
import { toTreatmentDto } from '../treatments/treatment.mapper';
import type { VisitDto } from '../visits/dto/visit.dto';
import { toEvaluationDto, toEvaluationVersionDto } from '../visits/evaluation.mapper';
import type { PatientReportDto, ReportDepositDto } from './dto/patient-report.dto';
import type { PatientRecords } from './report.loader';

/** The JSON report: the same shapes the rest of the API answers with, gathered for one patient. */
export function toPatientReport(records: PatientRecords, generatedAt: Date): PatientReportDto {
  const evaluations = records.evaluations.map(toEvaluationDto);
  const evaluationsById = new Map(records.evaluations.map((e) => [e.id, e]));

  const deposits: ReportDepositDto[] = records.deposits.map((d) => {
    const own = evaluations.filter((e) => e.depositId === d.id);
    const amendments = records.versions
      .filter((v) => evaluationsById.get(v.evaluationId)?.depositId === d.id)
      .map((v) => toEvaluationVersionDto(evaluationsById.get(v.evaluationId)!, v, records.userNames.get(v.recordedBy) ?? null))
      .sort((a, b) => own.findIndex((e) => e.id === a.id) - own.findIndex((e) => e.id === b.id) || a.version - b.version);
    return { ...toDepositDto(d), evaluations: own, ...depositCourse(own), amendments };
  });

  const visits: VisitDto[] = records.visits.map((v) => ({
    id: v.id,
    patientId: v.patientId,
    visitDate: v.visitDate,
    evaluations: evaluations.filter((e) => e.visitId === v.id),
    newDepositIds: records.deposits.filter((d) => d.firstVisitId === v.id).map((d) => d.id),
    labResultIds: records.labs.filter((l) => l.visitId === v.id).map((l) => l.id),
    createdBy: v.createdBy,
    createdAt: v.createdAt,
  }));

  return {
    generatedAt: generatedAt.toISOString(),
    patient: toPatientDto(records.patient),
    deposits,
    visits,
    labs: records.labs.map(toLabResultDto),
    treatments: records.treatments.map(toTreatmentDto),
    alerts: records.alerts.map((a) => ({ ...toAlertDto(a), resolvedByName: a.resolvedBy ? (records.userNames.get(a.resolvedBy) ?? null) : null })),
  };
}
