// REGRESSION — the current longest diameter is at least regressionPercent % below the baseline
// (the first given evaluation of the current method class) and the fall reaches the noise floor.
// info: the deposit is responding; the suggested tier stays the current one. Quiet without an
// earlier same-class evaluation or with an unusable size.

import { comparisonEvidence } from '../evidence';
import { formatChange, formatMm } from '../format';
import { sameClassHistory } from '../history';
import { meetsDecrease, sizeChange } from '../size-change';
import { holdAction } from '../suggested-action';
import { currentTier } from '../tiers';
import { methodClassOf, type DepositHistory, type Finding, type RuleContext, type RuleSettings } from '../types';

export function regressionRule(deposit: DepositHistory, ctx: RuleContext, settings: RuleSettings): Finding | null {
  const history = sameClassHistory(deposit.evaluations);
  if (history === null || history.earlier.length === 0) return null;
  const baseline = history.earlier[0];
  const { current } = history;
  const change = sizeChange(baseline.longestDiameterMm, current.longestDiameterMm);
  if (!meetsDecrease(change, settings.regressionPercent, settings.noiseFloorMm)) return null;
  return {
    rule: 'REGRESSION',
    depositId: deposit.depositId,
    severity: 'info',
    message:
      `${deposit.label} shrank from ${formatMm(baseline.longestDiameterMm)} mm (baseline, ${baseline.visitDate}) ` +
      `to ${formatMm(current.longestDiameterMm)} mm (${formatChange(change.mm, change.percent)}) by ${current.method}`,
    evidence: {
      ...comparisonEvidence('baseline', baseline, current, change),
      methodClass: methodClassOf(current.method),
      thresholds: { regressionPercent: settings.regressionPercent, noiseFloorMm: settings.noiseFloorMm },
      settingsVersion: ctx.settingsVersion,
    },
    suggestedAction: holdAction(
      currentTier(ctx.treatments, ctx.visitDate, deposit.depositId).tier,
      'Responding; consider whether the current tier is still needed.',
    ),
  };
}
