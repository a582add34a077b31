// The rule simulator: what a clinic's thresholds cost, as operating characteristics measured on a
// synthetic cohort (cohort.ts). Every visit of every patient goes through `detectChanges` — the
// same pure runner the API calls inside the visit's transaction — with the history the API would
// load, and the findings go through the same de-duplication as the alerts table (one open alert per
// deposit and rule; nobody resolves them, as in a cohort posted through the API and left alone).
// Pure: no database, no clock; the same settings and cohort give the same table.

import { OpenAlertLedger } from '../alert-dedup';
import { daysBetween } from '../date-utils';
import { detectChanges } from '../detect-changes';
import { median } from '../readings';
import { RULE_CODES, type DepositHistory, type EvaluationPoint, type RuleCode, type RuleSettings, type TreatmentPoint } from '../types';
import { generateCohort, type CohortKind, type CohortOptions, type SyntheticPatient } from './cohort';

export type SensitivityWindow = 'change-or-next-visit' | 'follow-up';

/** The changing cohort each rule is meant to find, and when it counts as found. */
const TARGETS: Partial<Record<RuleCode, { kind: CohortKind; window: SensitivityWindow }>> = {
  DEPOSIT_GROWTH: { kind: 'growing', window: 'follow-up' },
  BURDEN_GROWTH: { kind: 'growing', window: 'follow-up' },
  PAIN_INCREASE: { kind: 'pain-rising', window: 'change-or-next-visit' },
  MIGRATION: { kind: 'moving', window: 'change-or-next-visit' },
};

const PATIENT_LEVEL: ReadonlySet<RuleCode> = new Set<RuleCode>(['BURDEN_GROWTH', 'LAB_ABNORMAL']);

export interface RuleFigures {
  rule: RuleCode;
  /** What a share counts: deposits, or patients for the patient-level rules. */
  per: 'deposit' | 'patient';
  /** Share of the unchanged cohort's deposits (patients) with at least one alert of this rule, %. */
  unchangedFlaggedPercent: number;
  /** Alerts of this rule raised on unchanged patients. */
  falseAlerts: number;
  falseAlertsPerPatientYear: number;
  /** The changing cohort the rule is meant to find; null when none is simulated. */
  changingKind: CohortKind | null;
  /** `change-or-next-visit`: flagged at the visit of the change or the next one; `follow-up`: at any visit (growth starts at the first). */
  sensitivityWindow: SensitivityWindow | null;
  /** Changing deposits (patients) of that cohort. */
  changingCount: number | null;
  /** Share of them flagged within the window, %. */
  sensitivityPercent: number | null;
  /** Median days from the change (the first visit, for growth) to the first flag at or after it, over those ever flagged. */
  medianDelayDays: number | null;
}

export interface SimulationTable {
  unchangedPatients: number;
  unchangedPatientYears: number;
  /** Every alert raised on unchanged patients, all rules together, per patient-year. */
  falseAlertsPerPatientYear: number;
  /** The rules that have a changing cohort or raised at least one alert, in the SPEC's order. */
  rules: RuleFigures[];
}

/** One finding at one visit that raised or updated an alert (a finding that changed nothing is not a flag). */
export interface Flag {
  rule: RuleCode;
  /** null for patient-level findings */
  deposit: number | null;
  visit: number;
  raised: boolean;
}

function treatmentsOf(patient: SyntheticPatient, options: CohortOptions): TreatmentPoint[] {
  if (options.treatmentKind === null) return [];
  return [{ id: `p${patient.index}-treatment`, kind: options.treatmentKind, depositId: null, startedOn: options.firstVisitOn, endedOn: null }];
}

/** Every visit of one patient through the runner, as the API would see them. */
function followPatient(patient: SyntheticPatient, settings: RuleSettings, options: CohortOptions): Flag[] {
  const ledger = new OpenAlertLedger();
  const histories: EvaluationPoint[][] = patient.deposits.map(() => []);
  const depositIds = patient.deposits.map((deposit) => `p${patient.index}-d${deposit.index}`);
  const treatments = treatmentsOf(patient, options);
  const flags: Flag[] = [];
  for (const visit of patient.visits) {
    visit.evaluations.forEach((evaluation, d) => histories[d].push(evaluation));
    const deposits = patient.deposits.map(
      (deposit, d): DepositHistory => ({
        depositId: depositIds[d],
        label: deposit.label,
        status: 'active',
        priorProcedureSite: false,
        isNewAtThisVisit: visit.index === 0,
        evaluations: histories[d].slice(),
      }),
    );
    const findings = detectChanges({
      visitDate: visit.date,
      today: visit.date,
      isFirstVisitOfPatient: visit.index === 0,
      deposits,
      evaluatedDepositIds: depositIds,
      treatments,
      lab: null,
      settings,
      settingsVersion: 1,
      referenceCuts: [],
    });
    for (const finding of findings) {
      const outcome = ledger.write(finding);
      if (outcome === 'unchanged') continue;
      const deposit = finding.depositId === null ? null : depositIds.indexOf(finding.depositId);
      flags.push({ rule: finding.rule, deposit, visit: visit.index, raised: outcome === 'raised' });
    }
  }
  return flags;
}

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((1000 * part) / whole) / 10);
const rate = (count: number, years: number) => (years === 0 ? 0 : Math.round((100 * count) / years) / 100);

interface Tally {
  falseAlerts: number;
  unchangedFlagged: number;
  changing: number;
  found: number;
  delays: number[];
}

/** How one subject (a deposit, or a patient) of the target cohort fared: found in the window, and the delay to its first flag. */
function judgeChange(flags: Flag[], patient: SyntheticPatient, changeVisit: number, window: SensitivityWindow): { found: boolean; delayDays: number | null } {
  const after = flags.map((flag) => flag.visit).filter((visit) => visit >= changeVisit);
  if (after.length === 0) return { found: false, delayDays: null };
  const first = Math.min(...after);
  const found = window === 'follow-up' || first <= changeVisit + 1;
  return { found, delayDays: daysBetween(patient.visits[changeVisit].date, patient.visits[first].date) };
}

function tallyPatient(tallies: Map<RuleCode, Tally>, patient: SyntheticPatient, flags: Flag[]): void {
  for (const [rule, tally] of tallies) {
    const own = flags.filter((flag) => flag.rule === rule);
    const perPatient = PATIENT_LEVEL.has(rule);
    const subjects: Array<number | null> = perPatient ? [null] : patient.deposits.map((deposit) => deposit.index);
    if (patient.kind === 'unchanged') {
      tally.falseAlerts += own.filter((flag) => flag.raised).length;
      tally.unchangedFlagged += subjects.filter((subject) => own.some((flag) => flag.raised && (perPatient || flag.deposit === subject))).length;
      continue;
    }
    const target = TARGETS[rule];
    if (target === undefined || target.kind !== patient.kind) continue;
    for (const subject of subjects) {
      const changeVisit = target.window === 'follow-up' ? 0 : patient.deposits[subject ?? 0].changeVisit ?? 0;
      const mine = perPatient ? own : own.filter((flag) => flag.deposit === subject);
      const { found, delayDays } = judgeChange(mine, patient, changeVisit, target.window);
      tally.changing += 1;
      if (found) tally.found += 1;
      if (delayDays !== null) tally.delays.push(delayDays);
    }
  }
}

function emptyTally(): Tally {
  return { falseAlerts: 0, unchangedFlagged: 0, changing: 0, found: 0, delays: [] };
}

/**
 * One run of the rules over a cohort, patient by patient (a caller that must not hold the event
 * loop can pause between patients), then the table.
 */
export class RuleSimulation {
  private readonly tallies = new Map<RuleCode, Tally>(RULE_CODES.map((rule) => [rule, emptyTally()]));
  private readonly raisedAnywhere = new Set<RuleCode>();
  private unchangedPatients = 0;
  private unchangedDeposits = 0;

  constructor(
    private readonly settings: RuleSettings,
    private readonly options: CohortOptions,
  ) {}

  follow(patient: SyntheticPatient): void {
    this.record(patient, followPatient(patient, this.settings, this.options));
  }

  /** Tallies flags obtained elsewhere (the cohort posted through the API, say) exactly as the simulated ones. */
  record(patient: SyntheticPatient, flags: Flag[]): void {
    for (const flag of flags) this.raisedAnywhere.add(flag.rule);
    tallyPatient(this.tallies, patient, flags);
    if (patient.kind === 'unchanged') {
      this.unchangedPatients += 1;
      this.unchangedDeposits += patient.deposits.length;
    }
  }

  table(): SimulationTable {
    const years = this.unchangedPatients * this.options.followUpYears;
    const rules = RULE_CODES.filter((rule) => TARGETS[rule] !== undefined || this.raisedAnywhere.has(rule)).map((rule) => this.figuresOf(rule, years));
    const falseAlerts = [...this.tallies.values()].reduce((sum, tally) => sum + tally.falseAlerts, 0);
    return { unchangedPatients: this.unchangedPatients, unchangedPatientYears: years, falseAlertsPerPatientYear: rate(falseAlerts, years), rules };
  }

  private figuresOf(rule: RuleCode, years: number): RuleFigures {
    const tally = this.tallies.get(rule)!;
    const target = TARGETS[rule] ?? null;
    const per = PATIENT_LEVEL.has(rule) ? 'patient' : 'deposit';
    return {
      rule,
      per,
      unchangedFlaggedPercent: percent(tally.unchangedFlagged, per === 'patient' ? this.unchangedPatients : this.unchangedDeposits),
      falseAlerts: tally.falseAlerts,
      falseAlertsPerPatientYear: rate(tally.falseAlerts, years),
      changingKind: target?.kind ?? null,
      sensitivityWindow: target?.window ?? null,
      changingCount: target === null ? null : tally.changing,
      sensitivityPercent: target === null ? null : percent(tally.found, tally.changing),
      medianDelayDays: target === null || tally.delays.length === 0 ? null : median(tally.delays),
    };
  }
}

/** The operating characteristics of `settings` on an already generated cohort (to compare settings on the same patients). */
export function simulateOnCohort(patients: SyntheticPatient[], settings: RuleSettings, options: CohortOptions): SimulationTable {
  const simulation = new RuleSimulation(settings, options);
  for (const patient of patients) simulation.follow(patient);
  return simulation.table();
}

export function simulateRules(settings: RuleSettings, options: CohortOptions): SimulationTable {
  return simulateOnCohort(generateCohort(options), settings, options);
}
