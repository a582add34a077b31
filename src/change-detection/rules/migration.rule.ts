// MIGRATION — warning. The deposit moved, or its mobility changed.
// - Position: offsets (xMm, yMm) from a landmark, compared only with offsets from the current
//   evaluation's landmark (trimmed, case-insensitive), as the straight-line distance; a move must
//   also reach the noise floor.
//   - Reading confirmation on (the default): over the deposit's position readings (readings.ts), the
//     current position is at least migrationHighMm from the median position (each axis's median) of
//     all earlier readings, or the current and the previous reading are both at least migrationMm
//     (in any direction) from the median position of the readings before them. After a physician's
//     decision only readings from the one current at the decision on count.
//   - Off: compared with the previous evaluation (the last of an earlier visit, any method) and one
//     reading decides; a previous evaluation without an offset from that landmark keeps it quiet.
// - Mobility is not a reading: a change between fixed and mobile fires at once against the
//   previous evaluation that records one, whatever the setting.
// A missing landmark, offset or mobility on the current evaluation keeps that part quiet.

import { evidenceNumber, formatMm, joinWords } from '../format';
import { currentOf, previousOf, truncateHistoryFrom } from '../history';
import {
  againstReference,
  atTheVisitsOf,
  confirmedChange,
  median,
  readingsFrom,
  readingsOf,
  type Reading,
  type ReadingChange,
  type ReadingTest,
} from '../readings';
import { atLeast } from '../size-change';
import { escalationAction } from '../suggested-action';
import { currentTier } from '../tiers';
import type { DepositHistory, EvaluationPoint, Finding, Mobility, RuleContext, RuleSettings } from '../types';

const MOBILITIES: readonly string[] = ['fixed', 'mobile'];

interface Position {
  xMm: number;
  yMm: number;
}

function finite(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function landmarkKey(evaluation: EvaluationPoint): string | null {
  const landmark = evaluation.landmark?.trim().toLowerCase();
  return landmark ? landmark : null;
}

/** The offset from `landmark`, or null when the evaluation has none from it. */
function positionFrom(evaluation: EvaluationPoint, landmark: string): Position | null {
  if (landmarkKey(evaluation) !== landmark || !finite(evaluation.xMm) || !finite(evaluation.yMm)) return null;
  return { xMm: evaluation.xMm, yMm: evaluation.yMm };
}

function distanceBetween(a: Position, b: Position): number {
  return Math.hypot(a.xMm - b.xMm, a.yMm - b.yMm);
}

function medianPosition(positions: Position[]): Position {
  return { xMm: median(positions.map((p) => p.xMm)), yMm: median(positions.map((p) => p.yMm)) };
}

function positionTest(settings: RuleSettings): ReadingTest<Position, Position> {
  const threshold = { ordinary: settings.migrationMm, immediate: settings.migrationHighMm };
  return {
    reference: medianPosition,
    isPast: (position, reference, level) => atLeast(distanceBetween(position, reference), Math.max(threshold[level], settings.noiseFloorMm)),
  };
}

interface Move {
  landmark: string;
  /** In the current evaluation's own spelling. */
  landmarkText: string;
  reference: Position;
  current: Position;
  distanceMm: number;
  /** confirmation on: the readings behind the change; off: null (the previous evaluation decides) */
  confirmed: ReadingChange<Position, Position> | null;
  previous: EvaluationPoint | null;
}

function landmarkOf(current: EvaluationPoint): { key: string; text: string; position: Position } | null {
  const key = landmarkKey(current);
  if (key === null) return null;
  const position = positionFrom(current, key);
  return position === null ? null : { key, text: current.landmark!.trim(), position };
}

function confirmedMove(deposit: DepositHistory, current: EvaluationPoint, settings: RuleSettings): Move | null {
  const landmark = landmarkOf(current);
  if (landmark === null) return null;
  const readings = readingsFrom(
    readingsOf(deposit.evaluations, (evaluation) => positionFrom(evaluation, landmark.key)),
    deposit.decidedOn ?? null,
  );
  const change = confirmedChange(readings, positionTest(settings));
  if (change === null) return null;
  return {
    landmark: landmark.key,
    landmarkText: landmark.text,
    reference: change.reference,
    current: landmark.position,
    distanceMm: distanceBetween(landmark.position, change.reference),
    confirmed: change,
    previous: null,
  };
}

function previousMove(deposit: DepositHistory, current: EvaluationPoint, settings: RuleSettings): Move | null {
  const landmark = landmarkOf(current);
  // after a decision, compared with the evaluation current then at the earliest (as before)
  const history = deposit.decidedOn ? truncateHistoryFrom(deposit.evaluations, deposit.decidedOn) : deposit.evaluations;
  const previous = previousOf(history);
  if (landmark === null || previous === null) return null;
  const reference = positionFrom(previous, landmark.key);
  if (reference === null) return null;
  const distanceMm = distanceBetween(landmark.position, reference);
  if (!atLeast(distanceMm, Math.max(settings.migrationMm, settings.noiseFloorMm))) return null;
  return { landmark: landmark.key, landmarkText: landmark.text, reference, current: landmark.position, distanceMm, confirmed: null, previous };
}

interface MobilityChange {
  previous: Reading<Mobility>;
  current: Reading<Mobility>;
}

function mobilityOf(evaluation: EvaluationPoint): Mobility | null {
  return MOBILITIES.includes(evaluation.mobility ?? '') ? evaluation.mobility! : null;
}

function mobilityChange(deposit: DepositHistory, current: EvaluationPoint): MobilityChange | null {
  if (mobilityOf(current) === null) return null;
  const readings = readingsFrom(readingsOf(deposit.evaluations, mobilityOf), deposit.decidedOn ?? null);
  if (readings.length < 2) return null;
  const [previous, last] = readings.slice(-2);
  return previous.value === last.value ? null : { previous, current: last };
}

function describeMove(deposit: DepositHistory, move: Move): string {
  const relative = `relative to the ${move.landmarkText}`;
  const change = move.confirmed;
  if (change === null) return `moved ${formatMm(move.distanceMm)} mm ${relative}`;
  const distances = change.confirming.map((reading) => formatMm(distanceBetween(reading.value, change.reference))).join(' and then ');
  const reference = againstReference(change, { median: 'its median position', single: 'its position' });
  return `moved ${distances} mm ${relative} ${atTheVisitsOf(deposit.evaluations, change.confirming)}, ${reference}`;
}

function describeMobility(mobility: MobilityChange, withDate: boolean): string {
  const was = withDate ? `was ${mobility.previous.value} on ${mobility.previous.evaluation.visitDate}` : `was ${mobility.previous.value}`;
  return `became ${mobility.current.value} (${was})`;
}

function message(deposit: DepositHistory, current: EvaluationPoint, move: Move | null, mobility: MobilityChange | null): string {
  if (move !== null && move.confirmed !== null) {
    const parts = [describeMove(deposit, move), ...(mobility === null ? [] : [describeMobility(mobility, true)])];
    return `${deposit.label} ${parts.join(', and ')}`;
  }
  const parts = [...(move === null ? [] : [describeMove(deposit, move)]), ...(mobility === null ? [] : [describeMobility(mobility, false)])];
  const since = move?.previous ?? mobility!.previous.evaluation;
  return `${deposit.label} ${joinWords(parts)} between ${since.visitDate} and ${current.visitDate}`;
}

const position = (p: Position | null) => (p === null ? null : { xMm: evidenceNumber(p.xMm), yMm: evidenceNumber(p.yMm) });

function moveEvidence(move: Move | null, current: EvaluationPoint): Record<string, unknown> {
  if (move === null) return { landmark: current.landmark ?? null, distanceMm: null };
  const change = move.confirmed;
  const reference =
    change === null
      ? { referenceKind: 'previous', referenceCount: 1, previousEvaluationId: move.previous!.id, previousDate: move.previous!.visitDate, previousPosition: position(move.reference) }
      : {
          referenceKind: 'median',
          referenceCount: change.referenceReadings.length,
          referenceEvaluationIds: change.referenceReadings.map((reading) => reading.evaluation.id),
          referencePosition: position(move.reference),
          confirmation: change.kind,
          confirmingEvaluationIds: change.confirming.map((reading) => reading.evaluation.id),
          confirmingReadings: change.confirming.map((reading) => ({
            evaluationId: reading.evaluation.id,
            date: reading.evaluation.visitDate,
            position: position(reading.value),
            distanceMm: evidenceNumber(distanceBetween(reading.value, change.reference)),
          })),
        };
  return {
    ...reference,
    ...(change === null ? { confirmingEvaluationIds: [current.id] } : {}),
    landmark: move.landmarkText,
    currentPosition: position(move.current),
    distanceMm: evidenceNumber(move.distanceMm),
  };
}

function mobilityEvidence(mobility: MobilityChange | null, current: EvaluationPoint): Record<string, unknown> {
  return {
    mobilityChanged: mobility !== null,
    previousMobility: mobility?.previous.value ?? null,
    previousMobilityEvaluationId: mobility?.previous.evaluation.id ?? null,
    currentMobility: mobilityOf(current),
  };
}

export function migrationRule(deposit: DepositHistory, ctx: RuleContext, settings: RuleSettings): Finding | null {
  const current = currentOf(deposit.evaluations);
  if (current === null) return null;
  const move = settings.readingConfirmation ? confirmedMove(deposit, current, settings) : previousMove(deposit, current, settings);
  const mobility = mobilityChange(deposit, current);
  if (move === null && mobility === null) return null;
  const moveFacts = moveEvidence(move, current);
  return {
    rule: 'MIGRATION',
    depositId: deposit.depositId,
    severity: 'warning',
    message: message(deposit, current, move, mobility),
    evidence: {
      // a change of mobility alone is judged against the previous evaluation that records one
      ...(move === null ? { referenceKind: 'previous', referenceCount: 1, confirmingEvaluationIds: [current.id] } : {}),
      ...moveFacts,
      currentEvaluationId: current.id,
      currentDate: current.visitDate,
      ...mobilityEvidence(mobility, current),
      thresholds: {
        migrationMm: settings.migrationMm,
        migrationHighMm: settings.migrationHighMm,
        noiseFloorMm: settings.noiseFloorMm,
        readingConfirmation: settings.readingConfirmation,
      },
      settingsVersion: ctx.settingsVersion,
    },
    suggestedAction: escalationAction(currentTier(ctx.treatments, ctx.visitDate, deposit.depositId).tier),
  };
}
