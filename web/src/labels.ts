// What a person reads for each value of the API's vocabularies. Each map is typed by the generated
// schema, so a value the API adds or drops fails the type check until it is labelled here.
import type { CreatePatient, Deposit, Evaluation, Method, RuleCode, Severity, AlertStatus, Decision, TreatmentKind, AuditEvent, Role } from './api/types';

type Condition = NonNullable<CreatePatient['conditions']>[number];

export const CONDITION_LABELS: Record<Condition, string> = {
  'systemic-sclerosis-limited': 'Systemic sclerosis, limited',
  'systemic-sclerosis-diffuse': 'Systemic sclerosis, diffuse',
  dermatomyositis: 'Dermatomyositis',
  'juvenile-dermatomyositis': 'Juvenile dermatomyositis',
  lupus: 'Lupus',
  overlap: 'Overlap syndrome',
  'chronic-kidney-disease': 'Chronic kidney disease',
  hyperparathyroidism: 'Hyperparathyroidism',
  other: 'Other',
};

export const CALCINOSIS_TYPE_LABELS: Record<NonNullable<CreatePatient['calcinosisType']>, string> = {
  dystrophic: 'Dystrophic',
  metastatic: 'Metastatic',
  idiopathic: 'Idiopathic',
  iatrogenic: 'Iatrogenic',
  calciphylaxis: 'Calciphylaxis',
  unknown: 'Unknown',
};

export const SEX_LABELS: Record<CreatePatient['sex'], string> = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' };

export const SITE_LABELS: Record<Deposit['site'], string> = {
  'head-neck': 'Head and neck',
  shoulder: 'Shoulder',
  'upper-arm': 'Upper arm',
  elbow: 'Elbow',
  forearm: 'Forearm',
  wrist: 'Wrist',
  hand: 'Hand',
  finger: 'Finger',
  trunk: 'Trunk',
  buttock: 'Buttock',
  hip: 'Hip',
  thigh: 'Thigh',
  knee: 'Knee',
  leg: 'Leg',
  ankle: 'Ankle',
  foot: 'Foot',
  toe: 'Toe',
  visceral: 'Visceral',
  other: 'Other',
};

export const LATERALITY_LABELS: Record<Deposit['laterality'], string> = {
  left: 'Left',
  right: 'Right',
  bilateral: 'Both sides',
  midline: 'Midline',
  'not-applicable': 'Not applicable',
};

export const DEPTH_LABELS: Record<Deposit['depth'], string> = {
  cutaneous: 'Cutaneous',
  subcutaneous: 'Subcutaneous',
  fascial: 'Fascial',
  periarticular: 'Periarticular',
  tendon: 'Tendon',
  muscle: 'Muscle',
  visceral: 'Visceral',
};

export const PATTERN_LABELS: Record<NonNullable<Deposit['pattern']>, string> = {
  'plaque-nodule': 'Plaque or nodule',
  tumoral: 'Tumoral',
  planar: 'Planar',
  exoskeleton: 'Exoskeleton',
};

export const DEPOSIT_STATUS_LABELS: Record<Deposit['status'], string> = { active: 'Active', resolved: 'Resolved', excised: 'Excised' };

export const METHOD_LABELS: Record<Method, string> = {
  palpation: 'Palpation',
  caliper: 'Caliper',
  ultrasound: 'Ultrasound',
  xray: 'X-ray',
  ct: 'CT',
  mri: 'MRI',
  photo: 'Photo',
};

export const METHOD_CLASS_LABELS: Record<Evaluation['methodClass'], string> = {
  clinical: 'Palpation, caliper or photo',
  ultrasound: 'Ultrasound',
  radiographic: 'X-ray, CT or MRI',
};

export const SHAPE_LABELS: Record<NonNullable<Evaluation['shape']>, string> = {
  round: 'Round',
  oval: 'Oval',
  irregular: 'Irregular',
  lobulated: 'Lobulated',
  linear: 'Linear',
  sheet: 'Sheet',
};

export const MARGIN_LABELS: Record<NonNullable<Evaluation['margin']>, string> = { 'well-defined': 'Well defined', 'ill-defined': 'Ill defined' };
export const MOBILITY_LABELS: Record<NonNullable<Evaluation['mobility']>, string> = { fixed: 'Fixed', mobile: 'Mobile' };
export const DRAINAGE_LABELS: Record<Evaluation['drainage'], string> = { none: 'None', chalky: 'Chalky', milky: 'Milky', purulent: 'Purulent', serous: 'Serous' };

export const TREATMENT_KIND_LABELS: Record<TreatmentKind, string> = {
  'watchful-waiting': 'Watchful waiting',
  prevention: 'Prevention',
  'dietary-change': 'Dietary change',
  'topical-corticosteroid': 'Topical corticosteroid',
  'intralesional-corticosteroid': 'Intralesional corticosteroid',
  'topical-sodium-thiosulfate': 'Topical sodium thiosulfate',
  colchicine: 'Colchicine',
  minocycline: 'Minocycline',
  'oral-corticosteroid': 'Oral corticosteroid',
  diltiazem: 'Diltiazem',
  bisphosphonate: 'Bisphosphonate',
  'intralesional-sodium-thiosulfate': 'Intralesional sodium thiosulfate',
  'iv-sodium-thiosulfate': 'IV sodium thiosulfate',
  warfarin: 'Warfarin',
  ivig: 'IVIG',
  rituximab: 'Rituximab',
  'other-immunosuppressant': 'Other immunosuppressant',
  lithotripsy: 'Lithotripsy',
  'test-excision': 'Test excision',
  'surgical-excision': 'Surgical excision',
  analgesic: 'Analgesic',
  'anti-inflammatory': 'Anti-inflammatory',
  antibiotic: 'Antibiotic',
};

export const RULE_LABELS: Record<RuleCode, string> = {
  DEPOSIT_GROWTH: 'Deposit growth',
  BURDEN_GROWTH: 'Burden growth',
  NEW_DEPOSIT: 'New deposit',
  RECURRENCE_AT_PROCEDURE_SITE: 'Recurrence at procedure site',
  COMPLICATION: 'Complication',
  SHAPE_CHANGE: 'Shape change',
  MIGRATION: 'Migration',
  PAIN_INCREASE: 'Pain increase',
  TREATMENT_FAILURE: 'Treatment failure',
  LAB_ABNORMAL: 'Abnormal lab',
  OVERDUE_REVIEW: 'Overdue review',
  REGRESSION: 'Regression',
};

/** Least to most severe, as the API ranks them. */
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'high', 'urgent'];
export const SEVERITY_LABELS: Record<Severity, string> = { info: 'Info', warning: 'Warning', high: 'High', urgent: 'Urgent' };
export const STATUS_LABELS: Record<AlertStatus, string> = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved' };
export const DECISION_LABELS: Record<Decision, string> = { escalate: 'Escalate', continue: 'Continue', dismiss: 'Dismiss' };
export const ROLE_LABELS: Record<Role, string> = { staff: 'Staff', physician: 'Physician', admin: 'Admin' };
export const OUTCOME_LABELS: Record<AuditEvent['outcome'], string> = { success: 'Success', denied: 'Denied', 'not-found': 'Not found', rejected: 'Rejected', error: 'Error' };

/** Options for a select, in the map's order. */
export function optionsOf<K extends string>(labels: Record<K, string>): { value: K; label: string }[] {
  return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
}

export function depositName(d: Pick<Deposit, 'label' | 'site' | 'laterality'>): string {
  const side = d.laterality === 'not-applicable' ? '' : `${LATERALITY_LABELS[d.laterality].toLowerCase()} `;
  return `${d.label} (${side}${SITE_LABELS[d.site].toLowerCase()})`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return iso.slice(0, 10);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${iso.slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

/** A number as the API gave it, with its unit; never rounded into a different clinical value. */
export function mm(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${value} mm`;
}

export function signed(value: number, unit: string): string {
  return `${value > 0 ? '+' : value < 0 ? '−' : '±'}${Math.abs(value)}${unit}`;
}
