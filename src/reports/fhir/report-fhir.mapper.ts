import type { PatientReportDto } from '../dto/patient-report.dto';
import { detectedIssue } from './fhir-alerts';
import { urnOf } from './fhir-ids';
import { evaluationObservations, labObservations } from './fhir-observations';
import { bodyStructure, calcinosisConditionId, conditionResources, patientResource } from './fhir-patient';
import { ref } from './fhir-elements';
import { treatmentResource } from './fhir-treatments';
import type { Bundle } from './fhir.types';

/**
 * The report as a FHIR R4 Bundle of type collection: Patient, Conditions, a BodyStructure per
 * deposit, Observations (each measured value, signs, labs), MedicationStatement/Procedure/CarePlan
 * per treatment and a DetectedIssue per alert. References are the entries' `urn:uuid:` full URLs.
 */
export function toFhirBundle(report: PatientReportDto, clinicId: string): Bundle {
  const patient = ref(report.patient.id, report.patient.name);
  const calcinosis = ref(calcinosisConditionId(report.patient.id));
  const deposits = new Map(report.deposits.map((d) => [d.id, d]));
  const resources = [
    patientResource(report, clinicId),
    ...conditionResources(report),
    ...report.deposits.map((d) => bodyStructure(d, report.patient.id)),
    ...report.deposits.flatMap((d) => d.evaluations.flatMap((e) => evaluationObservations(d, e, patient))),
    ...report.labs.flatMap((l) => labObservations(l, patient)),
    ...report.treatments.map((t) => treatmentResource(t, patient, calcinosis, deposits)),
    ...report.alerts.map((a) => detectedIssue(a, patient, deposits)),
  ];
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: report.generatedAt,
    entry: resources.map((resource) => ({ fullUrl: urnOf(resource.id), resource })),
  };
}
