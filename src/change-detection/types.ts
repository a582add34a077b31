// Plain data shapes of the clinical core. Everything here is framework-free so the rules can be
// read and tested without NestJS or a database. Dates are 'YYYY-MM-DD' strings; lengths are mm.

import type { RuleSettings } from './rule-settings';

export type Method = 'palpation' | 'caliper' | 'ultrasound' | 'xray' | 'ct' | 'mri' | 'photo';

/** Sizes are only ever compared within one class (the noise guard). */
export type MethodClass = 'clinical' | 'ultrasound' | 'radiographic';

export const METHODS: readonly Method[] = ['palpation', 'caliper', 'ultrasound', 'xray', 'ct', 'mri', 'photo'];

const METHOD_CLASS: Record<Method, MethodClass> = {
  palpation: 'clinical',
  caliper: 'clinical',
  photo: 'clinical',
  ultrasound: 'ultrasound',
  xray: 'radiographic',
  ct: 'radiographic',
  mri: 'radiographic',
};

export function methodClassOf(method: Method): MethodClass {
  return METHOD_CLASS[method];
}

export type Drainage = 'none' | 'chalky' | 'milky' | 'purulent' | 'serous';
export type Mobility = 'fixed' | 'mobile';
export type DepositStatus = 'active' | 'resolved' | 'excised';

/** One evaluation of one deposit (the latest version, when it was amended). */
export interface EvaluationPoint {
  id: string;
  visitDate: string;
  method: Method;
  longestDiameterMm: number;
  shape?: string | null;
  margin?: string | null;
  landmark?: string | null;
  xMm?: number | null;
  yMm?: number | null;
  mobility?: Mobility | null;
  ulcerated: boolean;
  infectionSigns: boolean;
  inflammation: boolean;
  nerveCompression: boolean;
  drainage: Drainage;
  painScore?: number | null;
}

export interface DepositHistory {
  depositId: string;
  label: string;
  status: DepositStatus;
  priorProcedureSite: boolean;
  /** First recorded at this visit — also true at the patient's first visit (NEW_DEPOSIT checks that). */
  isNewAtThisVisit: boolean;
  /**
   * Oldest first, ending with the current evaluation. May be truncated so that it starts at the
   * evaluation that was current when a physician resolved an alert; rules use only what is given.
   */
  evaluations: EvaluationPoint[];
  /**
   * Set only for the rules that cut the history themselves (the reading rules): the date of the
   * record current when a physician last decided on this rule's alert for the deposit. Their
   * `evaluations` are then the whole history, because the reading current at the decision may be
   * older than the evaluation current then. Absent or null: never decided.
   */
  decidedOn?: string | null;
}

export interface TreatmentPoint {
  id: string;
  kind: string;
  /** null: patient-wide. */
  depositId: string | null;
  startedOn: string;
  endedOn: string | null;
}

export interface LabPoint {
  id: string;
  collectedOn: string;
  correctedCalciumMgDl: number | null;
  calciumPhosphateProduct: number | null;
}

export type RuleCode =
  | 'DEPOSIT_GROWTH'
  | 'BURDEN_GROWTH'
  | 'NEW_DEPOSIT'
  | 'RECURRENCE_AT_PROCEDURE_SITE'
  | 'COMPLICATION'
  | 'SHAPE_CHANGE'
  | 'MIGRATION'
  | 'PAIN_INCREASE'
  | 'TREATMENT_FAILURE'
  | 'LAB_ABNORMAL'
  | 'OVERDUE_REVIEW'
  | 'REGRESSION';

export const RULE_CODES: readonly RuleCode[] = [
  'DEPOSIT_GROWTH',
  'BURDEN_GROWTH',
  'NEW_DEPOSIT',
  'RECURRENCE_AT_PROCEDURE_SITE',
  'COMPLICATION',
  'SHAPE_CHANGE',
  'MIGRATION',
  'PAIN_INCREASE',
  'TREATMENT_FAILURE',
  'LAB_ABNORMAL',
  'OVERDUE_REVIEW',
  'REGRESSION',
];

export type Severity = 'info' | 'warning' | 'high' | 'urgent';

export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'high', 'urgent'];

export interface SuggestedAction {
  currentTier: number;
  suggestedTier: number;
  text: string;
}

export interface Finding {
  rule: RuleCode;
  /** null for patient-level findings. */
  depositId: string | null;
  severity: Severity;
  message: string;
  /** JSON-safe values only (an infinite t-statistic is written as the string '+Infinity'). */
  evidence: Record<string, unknown>;
  suggestedAction: SuggestedAction;
}

export interface RuleContext {
  visitDate: string;
  today: string;
  isFirstVisitOfPatient: boolean;
  treatments: TreatmentPoint[];
  settingsVersion: number;
}

/** What the daily overdue job knows of a deposit. */
export interface OverdueCandidate {
  depositId: string;
  label: string;
  status: DepositStatus;
  /** Visit date of its latest evaluation; null when it has none. */
  lastEvaluatedOn: string | null;
}

export interface OverdueContext {
  today: string;
  treatments: TreatmentPoint[];
  settingsVersion: number;
}

export type DepositRule = (deposit: DepositHistory, ctx: RuleContext, settings: RuleSettings) => Finding | null;

export type { RuleSettings, NumericRuleSettingKey, SettingRange } from './rule-settings';
export { DEFAULT_RULE_SETTINGS, RULE_SETTINGS_RANGES } from './rule-settings';
