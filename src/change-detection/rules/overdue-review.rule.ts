// OVERDUE_REVIEW — an active deposit has had no evaluation for overdueMonths, or for
// overdueMonthsOnTreatment while a tier ≥ 1 treatment runs today for it (patient-wide or targeting
// it), counted back from today: it is overdue from the day its last evaluation date plus that many
// calendar months is reached. info; the suggested tier is the current one. Resolved, excised and
// never-evaluated deposits stay quiet.

import { addMonths, isOnOrAfter } from '../date-utils';
import { holdAction } from '../suggested-action';
import { currentTier } from '../tiers';
import type { Finding, OverdueCandidate, OverdueContext, RuleSettings } from '../types';

export function overdueReviewRule(
  deposit: OverdueCandidate,
  ctx: OverdueContext,
  settings: RuleSettings,
): Finding | null {
  if (deposit.status !== 'active' || deposit.lastEvaluatedOn === null) return null;
  const tier = currentTier(ctx.treatments, ctx.today, deposit.depositId);
  const months = tier.tier >= 1 ? settings.overdueMonthsOnTreatment : settings.overdueMonths;
  const dueOn = addMonths(deposit.lastEvaluatedOn, months);
  if (!isOnOrAfter(ctx.today, dueOn)) return null;
  return {
    rule: 'OVERDUE_REVIEW',
    depositId: deposit.depositId,
    severity: 'info',
    message:
      `${deposit.label} has not been evaluated since ${deposit.lastEvaluatedOn}; ` +
      `a review was due by ${dueOn} (every ${months} months${tier.tier >= 1 ? ' while on treatment' : ''})`,
    evidence: {
      lastEvaluatedOn: deposit.lastEvaluatedOn,
      today: ctx.today,
      dueOn,
      overdueMonths: months,
      onTreatment: tier.tier >= 1,
      tier: tier.tier,
      tierSince: tier.since,
      thresholds: {
        overdueMonths: settings.overdueMonths,
        overdueMonthsOnTreatment: settings.overdueMonthsOnTreatment,
      },
      settingsVersion: ctx.settingsVersion,
    },
    suggestedAction: holdAction(tier.tier, 'Schedule a review of this deposit.'),
  };
}
