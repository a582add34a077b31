// The suggested action of every finding names the current tier in words and, for the rules that
// point to escalation, the next rung (capped at tier 4). For a step from tier 3 to surgery the text
// always carries the test-procedure caution.

import { describeTier, MAX_TIER } from './tiers';
import type { SuggestedAction } from './types';

export const SURGERY_CAUTION = 'consider a small test procedure first; surgical trauma can trigger recurrence';

function currentText(tier: number): string {
  return `Current: ${describeTier(tier)}.`;
}

export function escalationAction(currentTier: number): SuggestedAction {
  if (currentTier >= MAX_TIER) {
    return {
      currentTier,
      suggestedTier: MAX_TIER,
      text: `${currentText(currentTier)} This is the top of the ladder; review the plan.`,
    };
  }
  const suggestedTier = currentTier + 1;
  const caution = suggestedTier === MAX_TIER ? `: ${SURGERY_CAUTION}` : '';
  return {
    currentTier,
    suggestedTier,
    text: `${currentText(currentTier)} Consider ${describeTier(suggestedTier)}${caution}.`,
  };
}

/** Keeps the current tier; `advice` is one sentence saying what to do instead. */
export function holdAction(currentTier: number, advice: string): SuggestedAction {
  return { currentTier, suggestedTier: currentTier, text: `${currentText(currentTier)} ${advice}` };
}
