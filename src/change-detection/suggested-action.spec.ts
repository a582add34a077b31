import { describe, expect, it } from '@jest/globals';
import { escalationAction, holdAction, SURGERY_CAUTION } from './suggested-action';

describe('suggested action', () => {
  it.each([
    [0, 1, 'Current: tier 0 (observation and prevention). Consider tier 1 (local or low-risk therapy).'],
    [1, 2, 'Current: tier 1 (local or low-risk therapy). Consider tier 2 (systemic therapy).'],
    [2, 3, 'Current: tier 2 (systemic therapy). Consider tier 3 (procedure to break up deposits).'],
    [3, 4, `Current: tier 3 (procedure to break up deposits). Consider tier 4 (surgery): ${SURGERY_CAUTION}.`],
    [4, 4, 'Current: tier 4 (surgery). This is the top of the ladder; review the plan.'],
  ])('escalating from tier %p suggests tier %p', (current, suggested, text) => {
    expect(escalationAction(current)).toEqual({ currentTier: current, suggestedTier: suggested, text });
  });

  it('the step to surgery carries the test-procedure caution', () => {
    expect(escalationAction(3).text).toContain('consider a small test procedure first; surgical trauma can trigger recurrence');
  });

  it('holding keeps the current tier', () => {
    expect(holdAction(2, 'Schedule a review of this deposit.')).toEqual({
      currentTier: 2,
      suggestedTier: 2,
      text: 'Current: tier 2 (systemic therapy). Schedule a review of this deposit.',
    });
  });
});
