import type { PatientReportDto, ReportDepositDto } from '../dto/patient-report.dto';
import { capitalised, conditionLabel, words } from '../report-labels';
import { CALCINOSIS_CUTIS, CONDITION_CODES, LATERALITY_CODES, mrnSystem, SYSTEMS } from './fhir-codes';
import { namedUuid } from './fhir-ids';
import { compact, ref, text } from './fhir-elements';
import type { CodeableConcept, FhirResource } from './fhir.types';

export function patientResource(report: PatientReportDto, clinicId: string): FhirResource {
  const p = report.patient;
  return {
    resourceType: 'Patient',
    id: p.id,
    identifier: [
      {
        use: 'usual',
        type: { coding: [{ system: SYSTEMS.identifierType, code: 'MR', display: 'Medical record number' }], text: 'MRN' },
        system: mrnSystem(clinicId),
        value: p.mrn,
      },
    ],
    name: [{ text: p.name }],
    gender: p.sex,
    birthDate: p.birthDate,
  };
}

const ACTIVE = { coding: [{ system: SYSTEMS.conditionClinical, code: 'active' }] };
const RESOLVED = { coding: [{ system: SYSTEMS.conditionClinical, code: 'resolved' }] };
const CONFIRMED = { coding: [{ system: SYSTEMS.conditionVerification, code: 'confirmed' }] };
const PROBLEM = [{ coding: [{ system: SYSTEMS.conditionCategory, code: 'problem-list-item' }] }];

/** Calcinosis cutis (ICD-10 L94.2) when a deposit lies in the skin or the subcutis; calciphylaxis is not coded as such. */
export function calcinosisCode(report: PatientReportDto): CodeableConcept {
  const type = report.patient.calcinosisType;
  const label = type === 'unknown' ? 'Calcinosis' : `Calcinosis (${type})`;
  const cutaneous = report.deposits.some((d) => d.depth === 'cutaneous' || d.depth === 'subcutaneous');
  return cutaneous && type !== 'calciphylaxis' ? { coding: [CALCINOSIS_CUTIS], text: label } : text(label);
}

export function calcinosisConditionId(patientId: string): string {
  return namedUuid(patientId, 'condition/calcinosis');
}

/** The calcinosis itself, then one Condition per underlying condition. */
export function conditionResources(report: PatientReportDto): FhirResource[] {
  const p = report.patient;
  const subject = ref(p.id, p.name);
  const notedOn = report.deposits.map((d) => d.notedOn).sort()[0];
  const anyActive = report.deposits.length === 0 || report.deposits.some((d) => d.status === 'active');
  const calcinosis: FhirResource = compact({
    resourceType: 'Condition',
    id: calcinosisConditionId(p.id),
    clinicalStatus: anyActive ? ACTIVE : RESOLVED,
    verificationStatus: CONFIRMED,
    category: PROBLEM,
    code: calcinosisCode(report),
    bodySite: report.deposits.map((d) => text(d.label)),
    subject,
    onsetDateTime: notedOn,
    note: p.familyHistory ? [{ text: 'Family history of calcinosis' }] : undefined,
  });
  const underlying = p.conditions.map((condition): FhirResource => {
    const coding = CONDITION_CODES[condition];
    const label = capitalised(conditionLabel(condition));
    return {
      resourceType: 'Condition',
      id: namedUuid(p.id, `condition/${condition}`),
      clinicalStatus: ACTIVE,
      verificationStatus: CONFIRMED,
      category: PROBLEM,
      code: coding ? { coding: [coding], text: label } : text(label),
      subject,
    };
  });
  return [calcinosis, ...underlying];
}

/** The deposit as a body structure: every measurement of it points here (`Observation.focus`). */
export function bodyStructure(d: ReportDepositDto, patientId: string): FhirResource {
  const laterality = LATERALITY_CODES[d.laterality];
  const qualifiers: CodeableConcept[] = [];
  if (laterality) qualifiers.push({ coding: [laterality], text: d.laterality });
  else if (d.laterality !== 'not-applicable') qualifiers.push(text(d.laterality));
  qualifiers.push(text(words(d.depth)));
  const where = d.siteDetail ? `${words(d.site)}, ${d.siteDetail}` : words(d.site);
  return compact({
    resourceType: 'BodyStructure',
    id: d.id,
    active: d.status === 'active',
    morphology: text(d.pattern ? `Calcium deposit (calcinosis), ${words(d.pattern)}` : 'Calcium deposit (calcinosis)'),
    location: text(where),
    locationQualifier: qualifiers,
    description: `${d.label} (${d.status}, noted ${d.notedOn}${d.priorProcedureSite ? ', at a prior procedure site' : ''})`,
    patient: ref(patientId),
  });
}
