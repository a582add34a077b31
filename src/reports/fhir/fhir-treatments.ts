import { describeTier } from '../../change-detection/tiers';
import type { TreatmentDto } from '../../treatments/dto/treatment.dto';
import type { ReportDepositDto } from '../dto/patient-report.dto';
import { capitalised, words } from '../report-labels';
import { PLAN_KINDS, PROCEDURE_KINDS, SYSTEMS } from './fhir-codes';
import { compact, text } from './fhir-elements';
import type { CodeableConcept, FhirResource, Period, Reference } from './fhir.types';

function kindConcept(t: TreatmentDto): CodeableConcept {
  const label = capitalised(words(t.kind));
  return { coding: [{ system: SYSTEMS.treatment, code: t.kind, display: label }], text: label };
}

function ladderNote(t: TreatmentDto): string {
  return t.tier === null ? 'Supportive treatment (not a rung of the escalation ladder)' : `Escalation ladder: ${describeTier(t.tier)}`;
}

function period(t: TreatmentDto): Period {
  return t.endedOn ? { start: t.startedOn, end: t.endedOn } : { start: t.startedOn };
}

/**
 * A medicine is a MedicationStatement, lithotripsy and excisions a Procedure, and the tier-0 kinds
 * (watchful waiting, prevention, dietary change) a CarePlan. Each says its rung of the ladder in a note.
 */
export function treatmentResource(t: TreatmentDto, patient: Reference, calcinosis: Reference, deposits: ReadonlyMap<string, ReportDepositDto>): FhirResource {
  const target = t.depositId ? deposits.get(t.depositId) : undefined;
  const notes = [ladderNote(t), ...(target ? [`Target: ${target.label}`] : []), ...(t.outcome ? [`Outcome: ${t.outcome}`] : [])].map((n) => ({ text: n }));
  const ended = t.endedOn !== null;
  if (PROCEDURE_KINDS.includes(t.kind)) {
    return compact({
      resourceType: 'Procedure',
      id: t.id,
      status: ended ? 'completed' : 'in-progress',
      code: kindConcept(t),
      subject: patient,
      performedPeriod: period(t),
      reasonReference: [calcinosis],
      bodySite: target ? [text(`${target.label} (${words(target.site)}, ${target.laterality})`)] : undefined,
      outcome: t.outcome ? text(t.outcome) : undefined,
      note: notes,
    });
  }
  if (PLAN_KINDS.includes(t.kind)) {
    return compact({
      resourceType: 'CarePlan',
      id: t.id,
      status: ended ? 'completed' : 'active',
      intent: 'plan',
      title: capitalised(words(t.kind)),
      description: ladderNote(t),
      subject: patient,
      period: period(t),
      addresses: [calcinosis],
      note: notes,
    });
  }
  return compact({
    resourceType: 'MedicationStatement',
    id: t.id,
    status: ended ? 'completed' : 'active',
    medicationCodeableConcept: kindConcept(t),
    subject: patient,
    effectivePeriod: period(t),
    reasonReference: [calcinosis],
    dosage: t.dose || t.route || target ? [compact({ text: t.dose ?? undefined, route: t.route ? text(t.route) : undefined, site: target ? text(target.label) : undefined })] : undefined,
    note: notes,
  });
}

