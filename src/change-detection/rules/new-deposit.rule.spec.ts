import { describe, expect, it } from '@jest/globals';
import { context, deposit, evaluation, settings } from '../testing/fixtures';
import type { DepositHistory } from '../types';
import { newDepositRule } from './new-deposit.rule';

describe('NEW_DEPOSIT', () => {
  it.each<{ story: string; deposit: DepositHistory; firstVisit: boolean; fires: boolean }>([
    {
      story: 'a new 6 mm deposit found at a follow-up visit fires',
      deposit: deposit([evaluation('2025-04-10', 6)], { isNewAtThisVisit: true }),
      firstVisit: false,
      fires: true,
    },
    {
      story: 'deposits recorded at the patient’s first visit are the baseline, not new',
      deposit: deposit([evaluation('2025-04-10', 6)], { isNewAtThisVisit: true }),
      firstVisit: true,
      fires: false,
    },
    {
      story: 'a known deposit evaluated again is not new',
      deposit: deposit([evaluation('2025-01-10', 6), evaluation('2025-04-10', 6)]),
      firstVisit: false,
      fires: false,
    },
    {
      story: 'a new deposit without any evaluation is malformed input: quiet',
      deposit: deposit([], { isNewAtThisVisit: true }),
      firstVisit: false,
      fires: false,
    },
  ])('$story', ({ deposit: history, firstVisit, fires }) => {
    const finding = newDepositRule(history, context('2025-04-10', { isFirstVisitOfPatient: firstVisit }), settings());
    expect(finding !== null).toBe(fires);
  });

  it('is a warning with one sentence, the evaluation and an escalation from tier 0', () => {
    const finding = newDepositRule(
      deposit([evaluation('2025-04-10', 6)], { isNewAtThisVisit: true, label: 'L elbow' }),
      context('2025-04-10'),
      settings(),
    );
    expect(finding).toMatchObject({ rule: 'NEW_DEPOSIT', severity: 'warning', depositId: 'dep-1' });
    expect(finding?.message).toBe('New deposit L elbow (6 mm by caliper) recorded at the follow-up visit of 2025-04-10');
    expect(finding?.evidence).toMatchObject({ currentEvaluationId: 'caliper-2025-04-10', currentMm: 6, settingsVersion: 3 });
    expect(finding?.suggestedAction).toMatchObject({ currentTier: 0, suggestedTier: 1 });
  });
});
