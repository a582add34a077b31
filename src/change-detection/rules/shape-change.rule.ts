// SHAPE_CHANGE — compared with the previous evaluation (the last of an earlier visit, any method):
// the shape turns irregular or lobulated from another known shape (round, oval, linear, sheet —
// irregular → lobulated is not a new irregularity), or the margin turns ill-defined from
// well-defined. A missing shape or margin on either side keeps that part quiet. warning.

import { joinWords } from '../format';
import { currentOf, previousOf } from '../history';
import { escalationAction } from '../suggested-action';
import { currentTier } from '../tiers';
import type { DepositHistory, EvaluationPoint, Finding, RuleContext, RuleSettings } from '../types';

const IRREGULAR_SHAPES: readonly string[] = ['irregular', 'lobulated'];

function known(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function shapeTurned(previous: EvaluationPoint, current: EvaluationPoint): boolean {
  return (
    known(previous.shape) &&
    known(current.shape) &&
    IRREGULAR_SHAPES.includes(current.shape) &&
    !IRREGULAR_SHAPES.includes(previous.shape)
  );
}

function marginTurned(previous: EvaluationPoint, current: EvaluationPoint): boolean {
  return previous.margin === 'well-defined' && current.margin === 'ill-defined';
}

export function shapeChangeRule(deposit: DepositHistory, ctx: RuleContext, _settings: RuleSettings): Finding | null {
  const current = currentOf(deposit.evaluations);
  const previous = previousOf(deposit.evaluations);
  if (current === null || previous === null) return null;
  const changes: string[] = [];
  if (shapeTurned(previous, current)) changes.push(`its shape turned from ${previous.shape} to ${current.shape}`);
  if (marginTurned(previous, current)) changes.push('its margin turned from well-defined to ill-defined');
  if (changes.length === 0) return null;
  return {
    rule: 'SHAPE_CHANGE',
    depositId: deposit.depositId,
    severity: 'warning',
    message: `${deposit.label}: ${joinWords(changes)} between ${previous.visitDate} and ${current.visitDate}`,
    evidence: {
      referenceKind: 'previous',
      previousEvaluationId: previous.id,
      previousDate: previous.visitDate,
      previousShape: previous.shape ?? null,
      previousMargin: previous.margin ?? null,
      currentEvaluationId: current.id,
      currentDate: current.visitDate,
      currentShape: current.shape ?? null,
      currentMargin: current.margin ?? null,
      shapeTurnedIrregular: shapeTurned(previous, current),
      marginTurnedIllDefined: marginTurned(previous, current),
      settingsVersion: ctx.settingsVersion,
    },
    suggestedAction: escalationAction(currentTier(ctx.treatments, ctx.visitDate, deposit.depositId).tier),
  };
}
