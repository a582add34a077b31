// The PAIN_INCREASE test, shared with TREATMENT_FAILURE: a rise of at least painIncreasePoints
// AND at least painIncreasePercent. From a score of 0 any rise of the required points counts
// (a percent of 0 is undefined). Scores outside 0–10 are treated as missing.

import { evidenceNumber, formatSignedPercent, roundTo } from './format';
import { atLeast } from './size-change';
import type { EvaluationPoint, RuleSettings } from './types';

export function painScoreOf(evaluation: EvaluationPoint): number | null {
  const score = evaluation.painScore;
  return typeof score === 'number' && Number.isFinite(score) && score >= 0 && score <= 10 ? score : null;
}

export interface PainRise {
  from: number;
  to: number;
  points: number;
  /** null when rising from 0. */
  percent: number | null;
}

export function painRise(from: number, to: number): PainRise {
  const points = to - from;
  return { from, to, points, percent: from === 0 ? null : (points / from) * 100 };
}

export function meetsPainIncrease(rise: PainRise, settings: RuleSettings): boolean {
  return (
    rise.points > 0 &&
    atLeast(rise.points, settings.painIncreasePoints) &&
    (rise.percent === null || atLeast(rise.percent, settings.painIncreasePercent))
  );
}

/** "from 3 to 6 (+3 points, +100 %)" */
export function describePainRise(rise: PainRise): string {
  const percent = rise.percent === null ? '' : `, ${formatSignedPercent(rise.percent)}`;
  const points = roundTo(rise.points, 1);
  return `from ${rise.from} to ${rise.to} (+${points} point${points === 1 ? '' : 's'}${percent})`;
}

export function painRiseEvidence(rise: PainRise): Record<string, unknown> {
  return {
    painFrom: rise.from,
    painTo: rise.to,
    changePoints: evidenceNumber(rise.points),
    changePercent: rise.percent === null ? null : evidenceNumber(rise.percent),
  };
}
