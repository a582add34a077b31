// MIGRATION — compared with the previous evaluation (the last of an earlier visit, any method): the
// position moved at least migrationMm (and at least the noise floor) measured as the straight-line
// distance between the (xMm, yMm) offsets from the same landmark (compared trimmed and
// case-insensitive), or the mobility changed between fixed and mobile. A missing landmark, offset
// or mobility keeps that part quiet; offsets from different landmarks are not compared. warning.

import { evidenceNumber, formatMm, joinWords } from '../format';
import { currentOf, previousOf } from '../history';
import { atLeast } from '../size-change';
import { escalationAction } from '../suggested-action';
import { currentTier } from '../tiers';
import type { DepositHistory, EvaluationPoint, Finding, RuleContext, RuleSettings } from '../types';

const MOBILITIES: readonly string[] = ['fixed', 'mobile'];

function finite(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function landmarkKey(evaluation: EvaluationPoint): string | null {
  const landmark = evaluation.landmark?.trim().toLowerCase();
  return landmark ? landmark : null;
}

/** Distance in mm, or null when the two positions cannot be compared. */
function distanceMoved(previous: EvaluationPoint, current: EvaluationPoint): number | null {
  const landmark = landmarkKey(current);
  if (landmark === null || landmark !== landmarkKey(previous)) return null;
  if (!finite(previous.xMm) || !finite(previous.yMm) || !finite(current.xMm) || !finite(current.yMm)) return null;
  return Math.hypot(current.xMm - previous.xMm, current.yMm - previous.yMm);
}

function mobilityChanged(previous: EvaluationPoint, current: EvaluationPoint): boolean {
  const both = MOBILITIES.includes(previous.mobility ?? '') && MOBILITIES.includes(current.mobility ?? '');
  return both && previous.mobility !== current.mobility;
}

export function migrationRule(deposit: DepositHistory, ctx: RuleContext, settings: RuleSettings): Finding | null {
  const current = currentOf(deposit.evaluations);
  const previous = previousOf(deposit.evaluations);
  if (current === null || previous === null) return null;
  const distance = distanceMoved(previous, current);
  const moved = distance !== null && atLeast(distance, Math.max(settings.migrationMm, settings.noiseFloorMm));
  const mobility = mobilityChanged(previous, current);
  if (!moved && !mobility) return null;
  const changes: string[] = [];
  if (moved) changes.push(`moved ${formatMm(distance)} mm relative to the ${current.landmark?.trim()}`);
  if (mobility) changes.push(`became ${current.mobility} (was ${previous.mobility})`);
  return {
    rule: 'MIGRATION',
    depositId: deposit.depositId,
    severity: 'warning',
    message: `${deposit.label} ${joinWords(changes)} between ${previous.visitDate} and ${current.visitDate}`,
    evidence: {
      referenceKind: 'previous',
      previousEvaluationId: previous.id,
      previousDate: previous.visitDate,
      currentEvaluationId: current.id,
      currentDate: current.visitDate,
      landmark: current.landmark ?? null,
      previousPosition: { xMm: previous.xMm ?? null, yMm: previous.yMm ?? null },
      currentPosition: { xMm: current.xMm ?? null, yMm: current.yMm ?? null },
      distanceMm: distance === null ? null : evidenceNumber(distance),
      previousMobility: previous.mobility ?? null,
      currentMobility: current.mobility ?? null,
      thresholds: { migrationMm: settings.migrationMm, noiseFloorMm: settings.noiseFloorMm },
      settingsVersion: ctx.settingsVersion,
    },
    suggestedAction: escalationAction(currentTier(ctx.treatments, ctx.visitDate, deposit.depositId).tier),
  };
}
