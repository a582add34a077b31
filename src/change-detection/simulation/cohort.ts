// A synthetic cohort for the rule simulator: patients followed at regular visits, each with a few
// deposits measured by caliper, with a pain score and a position from a landmark at every visit,
// all with stated measurement noise. Four kinds of patient: nothing changes; every deposit grows
// by a fixed percentage a year from the first visit; every deposit's pain rises and stays up from
// one visit on; every deposit moves and stays moved from one visit on. Pure and seeded: the same
// options give the same cohort everywhere.

import { addMonths } from '../date-utils';
import type { EvaluationPoint } from '../types';
import { deriveSeed, SeededRandom } from './prng';

export type CohortKind = 'unchanged' | 'growing' | 'pain-rising' | 'moving';

export const COHORT_KINDS: readonly CohortKind[] = ['unchanged', 'growing', 'pain-rising', 'moving'];

export interface CohortOptions {
  seed: number;
  /** Patients of each kind. */
  patients: Record<CohortKind, number>;
  depositsPerPatient: number;
  visitIntervalMonths: number;
  followUpYears: number;
  firstVisitOn: string;
  noise: {
    /** Size error: sizePercent % of the size plus sizeMm, each one standard deviation, independent. */
    sizePercent: number;
    sizeMm: number;
    /** Pain score error (SD, points); readings are rounded to whole points and kept within 0–10. */
    painSd: number;
    /** Position error per axis (SD, mm). */
    landmarkSdMm: number;
  };
  change: {
    growthPercentPerYear: number;
    painRisePoints: number;
    moveMm: number;
    /** The visit (0 = the first) at which pain rises or the deposit moves: drawn from `fromVisit` to `toVisit`, capped at the last visit but one. */
    fromVisit: number;
    toVisit: number;
  };
  baseline: {
    /** True longest diameters are drawn uniformly from this range. */
    sizeMm: [number, number];
    /** True pain scores are drawn as whole points from this range. */
    painScore: [number, number];
    /** True offsets from the landmark are drawn uniformly within ± this, per axis. */
    offsetMm: number;
  };
  /** A treatment every patient is on from the first visit (exercises TREATMENT_FAILURE), or null. */
  treatmentKind: string | null;
}

export const DEFAULT_COHORT: Readonly<CohortOptions> = Object.freeze({
  seed: 20_251_126,
  patients: { unchanged: 400, growing: 200, 'pain-rising': 200, moving: 200 },
  depositsPerPatient: 5,
  visitIntervalMonths: 3,
  followUpYears: 2,
  firstVisitOn: '2024-01-15',
  noise: { sizePercent: 8, sizeMm: 0.5, painSd: 0.8, landmarkSdMm: 3 },
  change: { growthPercentPerYear: 30, painRisePoints: 3, moveMm: 15, fromVisit: 3, toVisit: 7 },
  baseline: { sizeMm: [5, 30] as [number, number], painScore: [1, 6] as [number, number], offsetMm: 20 },
  treatmentKind: null,
});

export interface SyntheticDeposit {
  index: number;
  label: string;
  landmark: string;
  /** The visit index at which the pain rose or the deposit moved; null for the other kinds. */
  changeVisit: number | null;
}

export interface SyntheticVisit {
  index: number;
  date: string;
  /** One evaluation per deposit, in deposit order. */
  evaluations: EvaluationPoint[];
}

export interface SyntheticPatient {
  index: number;
  kind: CohortKind;
  deposits: SyntheticDeposit[];
  visits: SyntheticVisit[];
}

export function visitCountOf(options: CohortOptions): number {
  return Math.floor((options.followUpYears * 12) / options.visitIntervalMonths) + 1;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

interface DepositTruth {
  sizeMm: number;
  pain: number;
  x: number;
  y: number;
  changeVisit: number | null;
  direction: number;
}

function drawTruth(random: SeededRandom, kind: CohortKind, options: CohortOptions, lastChangeVisit: number): DepositTruth {
  const { baseline, change } = options;
  const truth = {
    sizeMm: random.uniform(baseline.sizeMm[0], baseline.sizeMm[1]),
    pain: random.integer(baseline.painScore[0], baseline.painScore[1]),
    x: random.uniform(-baseline.offsetMm, baseline.offsetMm),
    y: random.uniform(-baseline.offsetMm, baseline.offsetMm),
    // drawn for every kind, so the kinds share their draws
    changeVisit: random.integer(Math.min(change.fromVisit, lastChangeVisit), lastChangeVisit),
    direction: random.uniform(0, 2 * Math.PI),
  };
  return { ...truth, changeVisit: kind === 'pain-rising' || kind === 'moving' ? truth.changeVisit : null };
}

function measure(random: SeededRandom, kind: CohortKind, truth: DepositTruth, visit: number, options: CohortOptions) {
  const { noise, change } = options;
  const years = (visit * options.visitIntervalMonths) / 12;
  const changed = truth.changeVisit !== null && visit >= truth.changeVisit;
  const size = kind === 'growing' ? truth.sizeMm * (1 + change.growthPercentPerYear / 100) ** years : truth.sizeMm;
  const pain = truth.pain + (kind === 'pain-rising' && changed ? change.painRisePoints : 0);
  const moved = kind === 'moving' && changed ? change.moveMm : 0;
  const sizeError = size * (noise.sizePercent / 100) * random.normal() + noise.sizeMm * random.normal();
  const painError = noise.painSd * random.normal();
  const xError = noise.landmarkSdMm * random.normal();
  const yError = noise.landmarkSdMm * random.normal();
  return {
    longestDiameterMm: Math.max(0.5, round1(size + sizeError)),
    painScore: Math.min(10, Math.max(0, Math.round(pain + painError))),
    xMm: round1(truth.x + moved * Math.cos(truth.direction) + xError),
    yMm: round1(truth.y + moved * Math.sin(truth.direction) + yError),
  };
}

function generatePatient(index: number, kind: CohortKind, indexInKind: number, options: CohortOptions): SyntheticPatient {
  const random = new SeededRandom(deriveSeed(deriveSeed(options.seed, COHORT_KINDS.indexOf(kind)), indexInKind));
  const visitCount = visitCountOf(options);
  const lastChangeVisit = Math.max(1, Math.min(options.change.toVisit, visitCount - 2));
  const truths = Array.from({ length: options.depositsPerPatient }, () => drawTruth(random, kind, options, lastChangeVisit));
  const deposits = truths.map((truth, d) => ({ index: d, label: `Deposit ${d + 1}`, landmark: `landmark ${d + 1}`, changeVisit: truth.changeVisit }));
  const visits = Array.from({ length: visitCount }, (_, v): SyntheticVisit => {
    const date = addMonths(options.firstVisitOn, v * options.visitIntervalMonths);
    const evaluations = truths.map((truth, d): EvaluationPoint => {
      const m = measure(random, kind, truth, v, options);
      return {
        id: `${kind}-${indexInKind}-d${d}-v${v}`,
        visitDate: date,
        method: 'caliper',
        longestDiameterMm: m.longestDiameterMm,
        landmark: deposits[d].landmark,
        xMm: m.xMm,
        yMm: m.yMm,
        painScore: m.painScore,
        ulcerated: false,
        infectionSigns: false,
        inflammation: false,
        nerveCompression: false,
        drainage: 'none',
      };
    });
    return { index: v, date, evaluations };
  });
  return { index, kind, deposits, visits };
}

/**
 * Every patient of the cohort, kind by kind in COHORT_KINDS order. A patient's draws depend only on
 * the seed, its kind and its place among its kind: a smaller cohort is the start of a larger one.
 */
export function generateCohort(options: CohortOptions): SyntheticPatient[] {
  const kinds = COHORT_KINDS.flatMap((kind) => Array.from({ length: options.patients[kind] }, (_, indexInKind) => [kind, indexInKind] as const));
  return kinds.map(([kind, indexInKind], index) => generatePatient(index, kind, indexInKind, options));
}

const NESTED = ['patients', 'noise', 'change', 'baseline'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownKeys(given: Record<string, unknown>, known: object, prefix: string): string[] {
  return Object.keys(given).filter((key) => !(key in known)).map((key) => `${prefix}${key} is not a cohort option`);
}

/** Checks that every number of a cohort is usable; returns the problems (empty when none). */
export function cohortProblems(options: CohortOptions): string[] {
  const problems: string[] = [];
  const check = (name: string, value: unknown, min: number, max: number, integer = false) => {
    const ok = typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value));
    if (!ok) problems.push(`${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
  };
  check('seed', options.seed, 0, 4_294_967_295, true);
  for (const kind of COHORT_KINDS) check(`patients.${kind}`, options.patients[kind], 0, 100_000, true);
  check('depositsPerPatient', options.depositsPerPatient, 1, 20, true);
  check('visitIntervalMonths', options.visitIntervalMonths, 1, 24, true);
  check('followUpYears', options.followUpYears, 0.25, 20);
  check('noise.sizePercent', options.noise.sizePercent, 0, 100);
  check('noise.sizeMm', options.noise.sizeMm, 0, 50);
  check('noise.painSd', options.noise.painSd, 0, 10);
  check('noise.landmarkSdMm', options.noise.landmarkSdMm, 0, 50);
  check('change.growthPercentPerYear', options.change.growthPercentPerYear, 0, 1000);
  check('change.painRisePoints', options.change.painRisePoints, 0, 10);
  check('change.moveMm', options.change.moveMm, 0, 200);
  check('change.fromVisit', options.change.fromVisit, 1, 1000, true);
  check('change.toVisit', options.change.toVisit, 1, 1000, true);
  for (const [name, range, min, max] of [['baseline.sizeMm', options.baseline.sizeMm, 0.5, 500], ['baseline.painScore', options.baseline.painScore, 0, 10]] as const) {
    if (!Array.isArray(range) || range.length !== 2) problems.push(`${name} must be [from, to]`);
    else range.forEach((value, i) => check(`${name}[${i}]`, value, min, max, name === 'baseline.painScore'));
  }
  check('baseline.offsetMm', options.baseline.offsetMm, 0, 500);
  if (typeof options.firstVisitOn !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(options.firstVisitOn)) problems.push('firstVisitOn must be a YYYY-MM-DD date');
  if (options.treatmentKind !== null && typeof options.treatmentKind !== 'string') problems.push('treatmentKind must be a treatment kind or null');
  return problems;
}

/** The defaults with a partial cohort (as read from a JSON file) laid over them, one level deep. */
export function cohortFrom(partial: unknown, defaults: CohortOptions = DEFAULT_COHORT): { options: CohortOptions; problems: string[] } {
  if (!isRecord(partial)) return { options: defaults, problems: ['the cohort must be a JSON object'] };
  const problems = unknownKeys(partial, defaults, '');
  const merged: Record<string, unknown> = { ...defaults, ...partial };
  for (const key of NESTED) {
    const given = partial[key];
    if (given === undefined) continue;
    if (!isRecord(given)) {
      problems.push(`${key} must be an object`);
      continue;
    }
    problems.push(...unknownKeys(given, defaults[key], `${key}.`));
    merged[key] = { ...defaults[key], ...given };
  }
  const options = merged as unknown as CohortOptions;
  return { options, problems: problems.length > 0 ? problems : cohortProblems(options) };
}
