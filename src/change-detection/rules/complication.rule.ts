// COMPLICATION — ulceration, drainage, nerve compression or infection signs newly present: present
// now and absent at the previous evaluation (the last of an earlier visit, any method: these are
// findings, not sizes). A deposit's very first evaluation (new at this visit, the patient's first
// visit included) counts every sign present, since a pre-existing complication is still worth a
// flag. A history without a previous evaluation that is not new at this visit (a truncated one)
// stays quiet: nothing can be said to be new. Drainage counts as present for any kind but 'none'.
// Severity high; urgent when infection signs are present now.

import { joinWords } from '../format';
import { currentOf, previousOf } from '../history';
import { escalationAction } from '../suggested-action';
import { currentTier } from '../tiers';
import type { DepositHistory, EvaluationPoint, Finding, RuleContext, RuleSettings } from '../types';

type SignKey = 'ulcerated' | 'drainage' | 'nerveCompression' | 'infectionSigns';

interface Sign {
  key: SignKey;
  isPresent: (evaluation: EvaluationPoint) => boolean;
  describe: (evaluation: EvaluationPoint) => string;
}

const DRAINING: readonly string[] = ['chalky', 'milky', 'purulent', 'serous'];

const SIGNS: readonly Sign[] = [
  { key: 'ulcerated', isPresent: (e) => e.ulcerated === true, describe: () => 'ulceration' },
  { key: 'drainage', isPresent: (e) => DRAINING.includes(e.drainage), describe: (e) => `${e.drainage} drainage` },
  { key: 'nerveCompression', isPresent: (e) => e.nerveCompression === true, describe: () => 'nerve compression' },
  { key: 'infectionSigns', isPresent: (e) => e.infectionSigns === true, describe: () => 'signs of infection' },
];

function signsOf(evaluation: EvaluationPoint): Record<SignKey, boolean> {
  return Object.fromEntries(SIGNS.map((sign) => [sign.key, sign.isPresent(evaluation)])) as Record<SignKey, boolean>;
}

function newSigns(current: EvaluationPoint, previous: EvaluationPoint | null): Sign[] {
  return SIGNS.filter((sign) => sign.isPresent(current) && (previous === null || !sign.isPresent(previous)));
}

function describeSigns(signs: Sign[], evaluation: EvaluationPoint): string {
  return joinWords(signs.map((sign) => sign.describe(evaluation)));
}

export function complicationRule(deposit: DepositHistory, ctx: RuleContext, _settings: RuleSettings): Finding | null {
  const current = currentOf(deposit.evaluations);
  const previous = previousOf(deposit.evaluations);
  if (current === null || (previous === null && !deposit.isNewAtThisVisit)) return null;
  const found = newSigns(current, previous);
  if (found.length === 0) return null;
  const since = previous === null ? 'at its first evaluation' : `since ${previous.visitDate}`;
  return {
    rule: 'COMPLICATION',
    depositId: deposit.depositId,
    severity: current.infectionSigns === true ? 'urgent' : 'high',
    message: `${deposit.label} shows new ${describeSigns(found, current)} on ${current.visitDate} (${since})`,
    evidence: {
      referenceKind: 'previous',
      newSigns: found.map((sign) => sign.key),
      currentEvaluationId: current.id,
      currentDate: current.visitDate,
      current: { ...signsOf(current), drainageKind: current.drainage },
      previousEvaluationId: previous?.id ?? null,
      previousDate: previous?.visitDate ?? null,
      previous: previous === null ? null : { ...signsOf(previous), drainageKind: previous.drainage },
      settingsVersion: ctx.settingsVersion,
    },
    suggestedAction: escalationAction(currentTier(ctx.treatments, ctx.visitDate, deposit.depositId).tier),
  };
}
