import type { ReportAlertDto, ReportDepositDto } from '../dto/patient-report.dto';
import { DETECTED_ISSUE_SEVERITY, SYSTEMS } from './fhir-codes';
import { compact, ref } from './fhir-elements';
import type { FhirResource, Reference } from './fhir.types';

/** The physician's decision on a resolved alert: what was done, when, and by whom (by name: no Practitioner is in the Bundle). */
function mitigation(a: ReportAlertDto) {
  if (!a.decision) return undefined;
  return [
    compact({
      extension: a.note ? [{ url: SYSTEMS.decisionNote, valueString: a.note }] : undefined,
      action: { coding: [{ system: SYSTEMS.decision, code: a.decision, display: a.decision }], text: a.decision },
      date: a.resolvedAt ? new Date(a.resolvedAt).toISOString() : undefined,
      author: { display: a.resolvedByName ?? 'physician' },
    }),
  ];
}

/** An alert is a DetectedIssue: preliminary while it waits for a decision, final once resolved. */
export function detectedIssue(a: ReportAlertDto, patient: Reference, deposits: ReadonlyMap<string, ReportDepositDto>): FhirResource {
  const deposit = a.depositId ? deposits.get(a.depositId) : undefined;
  return compact({
    resourceType: 'DetectedIssue',
    id: a.id,
    status: a.status === 'resolved' ? 'final' : 'preliminary',
    code: { coding: [{ system: SYSTEMS.alertRule, code: a.rule, display: a.rule }], text: a.rule },
    severity: DETECTED_ISSUE_SEVERITY[a.severity],
    patient,
    identifiedDateTime: new Date(a.createdAt).toISOString(),
    implicated: [deposit ? ref(deposit.id, deposit.label) : patient],
    detail: a.message,
    mitigation: mitigation(a),
  });
}
