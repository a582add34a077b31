// The escalation ladder. A patient's (or a targeted deposit's) current tier on a date is the
// highest tier among its treatments running that day: started on or before it and not ended before
// it; procedures (tiers 3–4) keep counting for 30 days after they end. No running treatment means
// tier 0. `since` is the earliest start among the running treatments of that tier (null when no
// treatment runs). Supportive kinds and unknown kinds are not rungs and never set a tier.

import { addDays, isOnOrAfter, isOnOrBefore } from './date-utils';
import type { TreatmentPoint } from './types';

export const TREATMENT_KINDS_BY_TIER = {
  0: ['watchful-waiting', 'prevention', 'dietary-change'],
  1: [
    'topical-corticosteroid',
    'intralesional-corticosteroid',
    'topical-sodium-thiosulfate',
    'colchicine',
    'minocycline',
  ],
  2: [
    'oral-corticosteroid',
    'diltiazem',
    'bisphosphonate',
    'intralesional-sodium-thiosulfate',
    'iv-sodium-thiosulfate',
    'warfarin',
    'ivig',
    'rituximab',
    'other-immunosuppressant',
  ],
  3: ['lithotripsy'],
  4: ['test-excision', 'surgical-excision'],
} as const;

export const SUPPORTIVE_TREATMENT_KINDS = ['analgesic', 'anti-inflammatory', 'antibiotic'] as const;

type LadderKind = (typeof TREATMENT_KINDS_BY_TIER)[keyof typeof TREATMENT_KINDS_BY_TIER][number];
export type TreatmentKind = LadderKind | (typeof SUPPORTIVE_TREATMENT_KINDS)[number];

export const TREATMENT_KINDS: readonly TreatmentKind[] = [
  ...Object.values(TREATMENT_KINDS_BY_TIER).flat(),
  ...SUPPORTIVE_TREATMENT_KINDS,
];

export const MAX_TIER = 4;

/** Days procedures keep counting after they end. */
export const PROCEDURE_TAIL_DAYS = 30;

export const TIER_MEANINGS: Readonly<Record<number, string>> = {
  0: 'observation and prevention',
  1: 'local or low-risk therapy',
  2: 'systemic therapy',
  3: 'procedure to break up deposits',
  4: 'surgery',
};

const TIER_BY_KIND: ReadonlyMap<string, number> = new Map(
  Object.entries(TREATMENT_KINDS_BY_TIER).flatMap(([tier, kinds]) =>
    kinds.map((kind): [string, number] => [kind, Number(tier)]),
  ),
);

/** The kind's rung, or null for supportive (and unknown) kinds. */
export function tierOfKind(kind: string): number | null {
  return TIER_BY_KIND.get(kind) ?? null;
}

export function isTreatmentKind(kind: string): kind is TreatmentKind {
  return (TREATMENT_KINDS as readonly string[]).includes(kind);
}

export interface CurrentTier {
  tier: number;
  since: string | null;
}

function countsUntil(treatment: TreatmentPoint, tier: number): string | null {
  if (treatment.endedOn === null) return null;
  return tier >= 3 ? addDays(treatment.endedOn, PROCEDURE_TAIL_DAYS) : treatment.endedOn;
}

export function isRunningOn(treatment: TreatmentPoint, date: string): boolean {
  const tier = tierOfKind(treatment.kind);
  if (tier === null || !isOnOrBefore(treatment.startedOn, date)) return false;
  const until = countsUntil(treatment, tier);
  return until === null || isOnOrAfter(until, date);
}

function concerns(treatment: TreatmentPoint, depositId: string | null): boolean {
  return depositId === null || treatment.depositId === null || treatment.depositId === depositId;
}

/**
 * For a deposit: patient-wide treatments plus those targeting it. For `depositId` null: all of the
 * patient's treatments.
 */
export function currentTier(treatments: TreatmentPoint[], date: string, depositId: string | null): CurrentTier {
  const running = treatments.filter((treatment) => concerns(treatment, depositId) && isRunningOn(treatment, date));
  if (running.length === 0) return { tier: 0, since: null };
  const tier = Math.max(...running.map((treatment) => tierOfKind(treatment.kind) ?? 0));
  const since = running
    .filter((treatment) => tierOfKind(treatment.kind) === tier)
    .map((treatment) => treatment.startedOn)
    .reduce((earliest, start) => (isOnOrBefore(start, earliest) ? start : earliest));
  return { tier, since };
}

/** "tier 2 (systemic therapy)" */
export function describeTier(tier: number): string {
  const meaning = TIER_MEANINGS[tier];
  return meaning === undefined ? `tier ${tier}` : `tier ${tier} (${meaning})`;
}
