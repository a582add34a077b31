// DEPOSIT_GROWTH — the current longest diameter is ≥ growthPercent % AND ≥ growthMm above the nadir
// of the earlier evaluations of the same method class (RECIST: +4 mm then +2 mm over the nadir is
// +6 mm), and the change reaches the noise floor. Below the high level (growthHighPercent AND
// growthHighMm) the growth must be confirmed by a rising least-squares trend through all same-class
// evaluations including the current one (≥ 3 points, t > trendMinT) when trendConfirmation is on;
// the high level needs no confirmation and is severity high, otherwise warning.
// Quiet without an earlier same-class evaluation or with an unusable current size.

import { assessGrowth, describeGrowth, growthThresholdEvidence, trendEvidence } from '../growth';
import { comparisonEvidence } from '../evidence';
import { sameClassHistory } from '../history';
import { escalationAction } from '../suggested-action';
import { currentTier } from '../tiers';
import { methodClassOf, type DepositHistory, type Finding, type RuleContext, type RuleSettings } from '../types';

export function depositGrowthRule(deposit: DepositHistory, ctx: RuleContext, settings: RuleSettings): Finding | null {
  const history = sameClassHistory(deposit.evaluations);
  if (history === null) return null;
  const growth = assessGrowth(
    { references: history.earlier, current: history.current, trendPoints: history.all },
    settings,
  );
  if (growth === null || growth.level === null) return null;
  return {
    rule: 'DEPOSIT_GROWTH',
    depositId: deposit.depositId,
    severity: growth.level,
    message: describeGrowth(deposit.label, growth),
    evidence: {
      ...comparisonEvidence('nadir', growth.nadir, growth.current, growth.change),
      methodClass: methodClassOf(growth.current.method),
      ...trendEvidence(growth.trend),
      thresholds: growthThresholdEvidence(settings),
      settingsVersion: ctx.settingsVersion,
    },
    suggestedAction: escalationAction(currentTier(ctx.treatments, ctx.visitDate, deposit.depositId).tier),
  };
}
