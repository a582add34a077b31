// Typed builders for the change-detection specs: small, readable clinical histories.

import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../rule-settings';
import type { DepositHistory, EvaluationPoint, Method, RuleContext, TreatmentPoint } from '../types';

export function evaluation(
  visitDate: string,
  longestDiameterMm: number,
  overrides: Partial<EvaluationPoint> = {},
): EvaluationPoint {
  const method = overrides.method ?? 'caliper';
  return {
    id: `${method}-${visitDate}`,
    visitDate,
    method,
    longestDiameterMm,
    ulcerated: false,
    infectionSigns: false,
    inflammation: false,
    nerveCompression: false,
    drainage: 'none',
    ...overrides,
  };
}

/** Readings of one method: [['2025-01-10', 8], ['2025-04-10', 10], …]. */
export function readings(method: Method, points: Array<[string, number]>): EvaluationPoint[] {
  return points.map(([date, mm]) => evaluation(date, mm, { method }));
}

export function deposit(evaluations: EvaluationPoint[], overrides: Partial<DepositHistory> = {}): DepositHistory {
  return {
    depositId: 'dep-1',
    label: 'R index pulp',
    status: 'active',
    priorProcedureSite: false,
    isNewAtThisVisit: false,
    evaluations,
    ...overrides,
  };
}

export function context(visitDate: string, overrides: Partial<RuleContext> = {}): RuleContext {
  return {
    visitDate,
    today: visitDate,
    isFirstVisitOfPatient: false,
    treatments: [],
    settingsVersion: 3,
    ...overrides,
  };
}

export function settings(overrides: Partial<RuleSettings> = {}): RuleSettings {
  return { ...DEFAULT_RULE_SETTINGS, ...overrides };
}

export function treatment(
  kind: string,
  startedOn: string,
  overrides: Partial<TreatmentPoint> = {},
): TreatmentPoint {
  return { id: `${kind}-${startedOn}`, kind, depositId: null, startedOn, endedOn: null, ...overrides };
}

/** The visit date of a history's last evaluation. */
export function lastDate(evaluations: EvaluationPoint[]): string {
  return evaluations[evaluations.length - 1]?.visitDate ?? '2025-01-01';
}
