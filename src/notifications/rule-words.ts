import type { RuleCode, Severity } from '../change-detection/types';

/** What each rule means, in words a physician reads in an e-mail: no value, no name, no date. */
export const RULE_WORDS: Readonly<Record<RuleCode, string>> = {
  DEPOSIT_GROWTH: 'a calcium deposit has grown',
  BURDEN_GROWTH: "the patient's total deposit burden has grown",
  NEW_DEPOSIT: 'a new deposit was found at a follow-up visit',
  RECURRENCE_AT_PROCEDURE_SITE: 'a deposit has recurred or grown at the site of an earlier procedure',
  COMPLICATION: 'a deposit shows a new complication (ulceration, drainage, nerve compression or signs of infection)',
  SHAPE_CHANGE: "a deposit's shape or margin has changed",
  MIGRATION: 'a deposit has moved or changed its mobility',
  PAIN_INCREASE: 'pain at a deposit has increased',
  TREATMENT_FAILURE: 'the current treatment may be failing',
  LAB_ABNORMAL: 'a lab result is outside its target (calcium or calcium-phosphate product)',
  OVERDUE_REVIEW: 'a deposit is overdue for review',
  REGRESSION: 'a deposit has regressed',
};

export const SEVERITY_WORDS: Readonly<Record<Severity, string>> = { info: 'Info', warning: 'Warning', high: 'High', urgent: 'URGENT' };

export function ruleInWords(rule: string): string {
  return RULE_WORDS[rule as RuleCode] ?? rule;
}
