// The pure runner: applies every rule to one visit and returns the findings, in a stable order
// (evaluated deposits in input order, rules in the SPEC's order; then the patient-level findings).
// The caller stores them as alerts (de-duplication and severity upgrades are the caller's job).
//
// Re-firing after a physician resolved an alert: pass a `referenceCut` per resolved (rule,
// deposit) with the decision date. Deposit-level rules then see the deposit's history truncated to
// start at the evaluation current on that date (the reading rules take only readings from the one
// current on that date on); BURDEN_GROWTH only takes references from that date
// on; LAB_ABNORMAL ignores labs collected on or before it. So a rule fires again only if its
// condition holds anew against what the physician saw.

import { isOnOrBefore } from './date-utils';
import { currentOf, truncateHistoryFrom } from './history';
import { burdenGrowthRule } from './rules/burden-growth.rule';
import { complicationRule } from './rules/complication.rule';
import { depositGrowthRule } from './rules/deposit-growth.rule';
import { labAbnormalRule } from './rules/lab-abnormal.rule';
import { migrationRule } from './rules/migration.rule';
import { newDepositRule } from './rules/new-deposit.rule';
import { overdueReviewRule } from './rules/overdue-review.rule';
import { painIncreaseRule } from './rules/pain-increase.rule';
import { recurrenceAtProcedureSiteRule } from './rules/recurrence-at-procedure-site.rule';
import { regressionRule } from './rules/regression.rule';
import { shapeChangeRule } from './rules/shape-change.rule';
import { newDepositTreatmentFailureRule, treatmentFailureRule } from './rules/treatment-failure.rule';
import type {
  DepositHistory,
  DepositRule,
  Finding,
  LabPoint,
  OverdueCandidate,
  RuleCode,
  RuleContext,
  RuleSettings,
  TreatmentPoint,
} from './types';

export interface ReferenceCut {
  rule: RuleCode;
  /** null for patient-level rules. */
  depositId: string | null;
  /** The date the physician resolved the previous alert ('YYYY-MM-DD'). */
  decisionDate: string;
}

export interface DetectChangesInput {
  visitDate: string;
  today: string;
  isFirstVisitOfPatient: boolean;
  /** Every deposit of the patient (all active ones are needed for the burden), histories up to this visit. */
  deposits: DepositHistory[];
  /** Deposits evaluated at this visit: only these get the deposit-level rules. */
  evaluatedDepositIds: string[];
  treatments: TreatmentPoint[];
  lab: LabPoint | null;
  settings: RuleSettings;
  settingsVersion: number;
  referenceCuts?: ReferenceCut[];
}

export const DEPOSIT_RULES: ReadonlyArray<readonly [RuleCode, DepositRule]> = [
  ['DEPOSIT_GROWTH', depositGrowthRule],
  ['NEW_DEPOSIT', newDepositRule],
  ['RECURRENCE_AT_PROCEDURE_SITE', recurrenceAtProcedureSiteRule],
  ['COMPLICATION', complicationRule],
  ['SHAPE_CHANGE', shapeChangeRule],
  ['MIGRATION', migrationRule],
  ['PAIN_INCREASE', painIncreaseRule],
  ['TREATMENT_FAILURE', treatmentFailureRule],
  ['REGRESSION', regressionRule],
];

function cutDate(cuts: ReferenceCut[], rule: RuleCode, depositId: string | null): string | null {
  return cuts.find((cut) => cut.rule === rule && cut.depositId === depositId)?.decisionDate ?? null;
}

/**
 * The rules that judge readings (a pain score, a position): the reading current at a decision may
 * be older than the evaluation current then, so they get the whole history and the decision date,
 * and cut their readings themselves (TREATMENT_FAILURE cuts its size history as the others do).
 */
const CUT_BY_THE_RULE: ReadonlySet<RuleCode> = new Set<RuleCode>(['MIGRATION', 'PAIN_INCREASE', 'TREATMENT_FAILURE']);

function asSeenSince(deposit: DepositHistory, rule: RuleCode, decisionDate: string | null): DepositHistory {
  if (decisionDate === null) return deposit;
  if (CUT_BY_THE_RULE.has(rule)) return { ...deposit, decidedOn: decisionDate };
  return { ...deposit, evaluations: truncateHistoryFrom(deposit.evaluations, decisionDate) };
}

function depositFindings(deposit: DepositHistory, input: DetectChangesInput, ctx: RuleContext): Finding[] {
  const cuts = input.referenceCuts ?? [];
  return DEPOSIT_RULES.map(([code, rule]) =>
    rule(asSeenSince(deposit, code, cutDate(cuts, code, deposit.depositId)), ctx, input.settings),
  ).filter((finding): finding is Finding => finding !== null);
}

function labSinceCut(lab: LabPoint | null, decisionDate: string | null): LabPoint | null {
  if (lab === null || decisionDate === null) return lab;
  return isOnOrBefore(lab.collectedOn, decisionDate) ? null : lab;
}

function patientFindings(input: DetectChangesInput, ctx: RuleContext): Finding[] {
  const cuts = input.referenceCuts ?? [];
  const evaluated = input.deposits.filter((deposit) => input.evaluatedDepositIds.includes(deposit.depositId));
  const burdenFrom = cutDate(cuts, 'BURDEN_GROWTH', null);
  const findings = [
    evaluated.length === 0 ? null : burdenGrowthRule(input.deposits, ctx, input.settings, burdenFrom),
    newDepositTreatmentFailureRule(evaluated, ctx, input.settings),
    labAbnormalRule(labSinceCut(input.lab, cutDate(cuts, 'LAB_ABNORMAL', null)), ctx, input.settings),
  ];
  return findings.filter((finding): finding is Finding => finding !== null);
}

export function detectChanges(input: DetectChangesInput): Finding[] {
  const ctx: RuleContext = {
    visitDate: input.visitDate,
    today: input.today,
    isFirstVisitOfPatient: input.isFirstVisitOfPatient,
    treatments: input.treatments,
    settingsVersion: input.settingsVersion,
  };
  const evaluated = input.deposits.filter((deposit) => input.evaluatedDepositIds.includes(deposit.depositId));
  return [...evaluated.flatMap((deposit) => depositFindings(deposit, input, ctx)), ...patientFindings(input, ctx)];
}

export interface DetectOverdueInput {
  deposits: OverdueCandidate[];
  treatments: TreatmentPoint[];
  today: string;
  settings: RuleSettings;
  settingsVersion: number;
}

/** The daily job: one OVERDUE_REVIEW finding per active deposit whose review is due. */
export function detectOverdue(input: DetectOverdueInput): Finding[] {
  const ctx = { today: input.today, treatments: input.treatments, settingsVersion: input.settingsVersion };
  return input.deposits
    .map((deposit) => overdueReviewRule(deposit, ctx, input.settings))
    .filter((finding): finding is Finding => finding !== null);
}

/** What the overdue job needs of a deposit's history. */
export function overdueCandidateOf(deposit: DepositHistory): OverdueCandidate {
  return {
    depositId: deposit.depositId,
    label: deposit.label,
    status: deposit.status,
    lastEvaluatedOn: currentOf(deposit.evaluations)?.visitDate ?? null,
  };
}
