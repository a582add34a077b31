// BURDEN_GROWTH (patient-level) — the total burden (sum of each active deposit's latest longest
// diameter as of a date) is ≥ burdenGrowthPercent % AND ≥ burdenGrowthMm above the nadir of the
// burden series at the earlier evaluation dates, and the change reaches the noise floor. warning.
// Decisions:
// - Only active deposits count, at every date (an excised deposit leaving does not fake a fall).
// - Noise guard: each deposit contributes only readings of the method class of its latest reading.
//   At an earlier date a deposit not yet recorded contributes 0 (a new deposit adds to the burden);
//   a date where a recorded deposit has no reading of that class is not comparable and is skipped.
// - Quiet unless some active deposit was evaluated at the visit (nothing new was measured).
// - `referenceFrom` (a physician's decision date) drops the series points before the one current
//   on that date, so the rule fires again only if the burden grows anew.

import { isOnOrBefore } from '../date-utils';
import { evidenceNumber, formatChange, formatMm } from '../format';
import { hasUsableSize } from '../history';
import { meetsIncrease, sizeChange } from '../size-change';
import { escalationAction } from '../suggested-action';
import { currentTier } from '../tiers';
import {
  methodClassOf,
  type DepositHistory,
  type EvaluationPoint,
  type Finding,
  type RuleContext,
  type RuleSettings,
} from '../types';

interface BurdenTrack {
  depositId: string;
  label: string;
  firstRecordedOn: string;
  /** Readings of the class of its latest reading, oldest first. */
  readings: EvaluationPoint[];
  /** The readings' dates never decrease, so "the latest on or before a date" is a binary search. */
  inDateOrder: boolean;
}

interface BurdenPoint {
  date: string;
  mm: number;
}

function trackOf(deposit: DepositHistory, visitDate: string): BurdenTrack | null {
  const usable = deposit.evaluations.filter(
    (evaluation) => hasUsableSize(evaluation) && isOnOrBefore(evaluation.visitDate, visitDate),
  );
  if (usable.length === 0) return null;
  const latestClass = methodClassOf(usable[usable.length - 1].method);
  const readings = usable.filter((evaluation) => methodClassOf(evaluation.method) === latestClass);
  return {
    depositId: deposit.depositId,
    label: deposit.label,
    firstRecordedOn: usable[0].visitDate,
    readings,
    inDateOrder: readings.every((reading, i) => i === 0 || isOnOrBefore(readings[i - 1].visitDate, reading.visitDate)),
  };
}

/**
 * The last reading on or before `date`. The burden is computed at every earlier date, so a scan
 * of every reading per date made a visit quadratic in the history (seconds at 1,000 evaluations).
 * The dates were validated by `trackOf`, and valid YYYY-MM-DD dates order as strings.
 */
function latestReadingOn(track: BurdenTrack, date: string): EvaluationPoint | undefined {
  if (!track.inDateOrder) return track.readings.filter((reading) => isOnOrBefore(reading.visitDate, date)).pop();
  let lo = 0;
  let hi = track.readings.length; // the first reading after `date` is in [lo, hi]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (track.readings[mid].visitDate <= date) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? undefined : track.readings[lo - 1];
}

/** 0 before the deposit was recorded, null when no comparable reading exists yet. */
function contributionOn(track: BurdenTrack, date: string): number | null {
  if (!isOnOrBefore(track.firstRecordedOn, date)) return 0;
  return latestReadingOn(track, date)?.longestDiameterMm ?? null;
}

function burdenOn(tracks: BurdenTrack[], date: string): BurdenPoint | null {
  let mm = 0;
  for (const track of tracks) {
    const contribution = contributionOn(track, date);
    if (contribution === null) return null;
    mm += contribution;
  }
  return { date, mm };
}

function earlierDates(tracks: BurdenTrack[], visitDate: string, referenceFrom: string | null): string[] {
  const dates = [...new Set(tracks.flatMap((track) => track.readings.map((reading) => reading.visitDate)))]
    .filter((date) => date !== visitDate && isOnOrBefore(date, visitDate))
    .sort();
  if (referenceFrom === null) return dates;
  const cut = dates.filter((date) => isOnOrBefore(date, referenceFrom)).pop();
  return cut === undefined ? dates : dates.filter((date) => isOnOrBefore(cut, date));
}

function lowestOf(points: BurdenPoint[]): BurdenPoint | null {
  return points.reduce<BurdenPoint | null>((low, point) => (low === null || point.mm < low.mm ? point : low), null);
}

function evaluatedAt(tracks: BurdenTrack[], visitDate: string): boolean {
  return tracks.some((track) => track.readings.some((reading) => reading.visitDate === visitDate));
}

export function burdenGrowthRule(
  deposits: DepositHistory[],
  ctx: RuleContext,
  settings: RuleSettings,
  referenceFrom: string | null = null,
): Finding | null {
  const tracks = deposits
    .filter((deposit) => deposit.status === 'active')
    .map((deposit) => trackOf(deposit, ctx.visitDate))
    .filter((track): track is BurdenTrack => track !== null);
  if (!evaluatedAt(tracks, ctx.visitDate)) return null;
  const current = burdenOn(tracks, ctx.visitDate);
  const series = earlierDates(tracks, ctx.visitDate, referenceFrom)
    .map((date) => burdenOn(tracks, date))
    .filter((point): point is BurdenPoint => point !== null);
  const nadir = lowestOf(series);
  if (current === null || nadir === null) return null;
  const change = sizeChange(nadir.mm, current.mm);
  const thresholds = {
    percent: settings.burdenGrowthPercent,
    mm: settings.burdenGrowthMm,
    noiseFloorMm: settings.noiseFloorMm,
  };
  if (!meetsIncrease(change, thresholds)) return null;
  return {
    rule: 'BURDEN_GROWTH',
    depositId: null,
    severity: 'warning',
    message:
      `Total calcinosis burden of ${tracks.length} active deposit${tracks.length === 1 ? '' : 's'} rose from ` +
      `${formatMm(nadir.mm)} mm (nadir, ${nadir.date}) to ${formatMm(current.mm)} mm ` +
      `(${formatChange(change.mm, change.percent)}) on ${current.date}`,
    evidence: {
      referenceKind: 'nadir',
      referenceDate: nadir.date,
      referenceMm: evidenceNumber(nadir.mm),
      currentDate: current.date,
      currentMm: evidenceNumber(current.mm),
      changeMm: evidenceNumber(change.mm),
      changePercent: change.percent === null ? null : evidenceNumber(change.percent),
      deposits: tracks.map((track) => ({
        depositId: track.depositId,
        referenceMm: contributionOn(track, nadir.date),
        currentMm: contributionOn(track, current.date),
      })),
      series: series.map((point) => ({ date: point.date, mm: evidenceNumber(point.mm) })),
      referenceFrom,
      thresholds,
      settingsVersion: ctx.settingsVersion,
    },
    suggestedAction: escalationAction(currentTier(ctx.treatments, ctx.visitDate, null).tier),
  };
}
