// Code systems and the few standard codes the Bundle uses. A code appears here only when it is
// certain; anything else goes out as text alone (`CodeableConcept.text`), never as a guessed code.

import type { Condition } from '../../patients/patient.entity';
import type { Coding } from './fhir.types';

export const SYSTEMS = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  ucum: 'http://unitsofmeasure.org',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  // Calcitrack's own codes
  measurement: 'urn:calcitrack:codesystem:measurement',
  lab: 'urn:calcitrack:codesystem:lab',
  treatment: 'urn:calcitrack:codesystem:treatment-kind',
  alertRule: 'urn:calcitrack:codesystem:alert-rule',
  decision: 'urn:calcitrack:codesystem:alert-decision',
  decisionNote: 'urn:calcitrack:extension:decision-note',
} as const;

export function mrnSystem(clinicId: string): string {
  return `urn:calcitrack:clinic:${clinicId}:mrn`;
}

/** ICD-10 (WHO) L94.2: calcinosis cutis — deposits in the skin or the subcutis. */
export const CALCINOSIS_CUTIS: Coding = { system: SYSTEMS.icd10, code: 'L94.2', display: 'Calcinosis cutis' };

/** ICD-10 (WHO) codes of the underlying conditions; null: no single code is certain (text only). */
export const CONDITION_CODES: Readonly<Record<Condition, Coding | null>> = {
  'systemic-sclerosis-limited': { system: SYSTEMS.icd10, code: 'M34', display: 'Systemic sclerosis' },
  'systemic-sclerosis-diffuse': { system: SYSTEMS.icd10, code: 'M34', display: 'Systemic sclerosis' },
  dermatomyositis: { system: SYSTEMS.icd10, code: 'M33.1', display: 'Other dermatomyositis' },
  'juvenile-dermatomyositis': { system: SYSTEMS.icd10, code: 'M33.0', display: 'Juvenile dermatomyositis' },
  lupus: null, // systemic or cutaneous lupus: the record does not say which
  overlap: null,
  'chronic-kidney-disease': { system: SYSTEMS.icd10, code: 'N18', display: 'Chronic kidney disease' },
  hyperparathyroidism: { system: SYSTEMS.icd10, code: 'E21.3', display: 'Hyperparathyroidism, unspecified' },
  other: null,
};

/** SNOMED CT laterality qualifiers; midline has no code here (text only). */
export const LATERALITY_CODES: Readonly<Record<string, Coding>> = {
  left: { system: SYSTEMS.snomed, code: '419161000', display: 'Unilateral left' },
  right: { system: SYSTEMS.snomed, code: '419465000', display: 'Unilateral right' },
  bilateral: { system: SYSTEMS.snomed, code: '51440002', display: 'Right and left' },
};

export interface QuantityCode {
  code: string;
  text: string;
  /** UCUM */
  unit: string;
  loinc?: string;
}

/** What an evaluation measures; sizes in mm, derived area and volume in mm2 and mm3. */
export const MEASUREMENT_CODES = {
  longest: { code: 'longest-diameter', text: 'Longest diameter of calcinosis deposit', unit: 'mm' },
  perpendicular: { code: 'perpendicular-diameter', text: 'Perpendicular diameter of calcinosis deposit', unit: 'mm' },
  depth: { code: 'depth', text: 'Depth of calcinosis deposit', unit: 'mm' },
  area: { code: 'area', text: 'Area of calcinosis deposit (pi/4 x longest x perpendicular diameter)', unit: 'mm2' },
  volume: { code: 'volume', text: 'Volume of calcinosis deposit (pi/6 x longest x perpendicular diameter x depth)', unit: 'mm3' },
  pain: { code: 'pain-score', text: 'Pain at the deposit, 0-10 numeric rating scale', unit: '{score}', loinc: '72514-3' },
} as const satisfies Record<string, QuantityCode>;

/** Labs in the conventional units they are stored in. */
export const LAB_CODES = {
  calciumMgDl: { code: 'calcium', text: 'Calcium, serum', unit: 'mg/dL', loinc: '17861-6' },
  correctedCalciumMgDl: { code: 'corrected-calcium', text: 'Calcium corrected for albumin, serum', unit: 'mg/dL', loinc: '29265-6' },
  albuminGDl: { code: 'albumin', text: 'Albumin, serum', unit: 'g/dL', loinc: '1751-7' },
  phosphateMgDl: { code: 'phosphate', text: 'Phosphate, serum', unit: 'mg/dL', loinc: '2777-1' },
  pthPgMl: { code: 'pth', text: 'Parathyroid hormone, intact', unit: 'pg/mL', loinc: '2731-8' },
  vitaminDNgMl: { code: 'vitamin-d', text: '25-hydroxyvitamin D', unit: 'ng/mL', loinc: '1989-3' },
  egfrMlMin173m2: { code: 'egfr', text: 'Estimated glomerular filtration rate', unit: 'mL/min/{1.73_m2}', loinc: '62238-1' },
  calciumPhosphateProduct: { code: 'calcium-phosphate-product', text: 'Calcium x phosphate product', unit: 'mg2/dL2' },
} as const satisfies Record<string, QuantityCode>;

export type LabField = keyof typeof LAB_CODES;

/** Alert severities on DetectedIssue's three-level scale. */
export const DETECTED_ISSUE_SEVERITY: Readonly<Record<string, 'high' | 'moderate' | 'low'>> = {
  urgent: 'high',
  high: 'high',
  warning: 'moderate',
  info: 'low',
};

/** Treatments that are procedures (a Procedure); every other kind but the plans is a medicine (a MedicationStatement). */
export const PROCEDURE_KINDS: readonly string[] = ['lithotripsy', 'test-excision', 'surgical-excision'];
/** Tier 0 kinds are plans, not medicines or procedures: a CarePlan. */
export const PLAN_KINDS: readonly string[] = ['watchful-waiting', 'prevention', 'dietary-change'];
