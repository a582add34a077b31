import { describe, expect, it } from '@jest/globals';
import { context, deposit, evaluation, settings } from '../testing/fixtures';
import type { DepositHistory, EvaluationPoint, Severity } from '../types';
import { complicationRule } from './complication.rule';

const before = (overrides: Partial<EvaluationPoint> = {}) => evaluation('2025-03-01', 10, overrides);
const now = (overrides: Partial<EvaluationPoint> = {}) => evaluation('2025-06-01', 10, overrides);

interface Row {
  story: string;
  deposit: DepositHistory;
  severity: Severity | null;
  newSigns?: string[];
}

describe('COMPLICATION', () => {
  it.each<Row>([
    {
      story: 'a deposit that ulcerated since the last visit fires high',
      deposit: deposit([before(), now({ ulcerated: true })]),
      severity: 'high',
      newSigns: ['ulcerated'],
    },
    {
      story: 'new signs of infection are urgent',
      deposit: deposit([before(), now({ infectionSigns: true })]),
      severity: 'urgent',
      newSigns: ['infectionSigns'],
    },
    {
      story: 'a newly compressed nerve fires high',
      deposit: deposit([before(), now({ nerveCompression: true })]),
      severity: 'high',
      newSigns: ['nerveCompression'],
    },
    {
      story: 'an ulcer that was already there is not new: quiet',
      deposit: deposit([before({ ulcerated: true }), now({ ulcerated: true })]),
      severity: null,
    },
    {
      story: 'chalky drainage starting from a known ulcer fires for the drainage only',
      deposit: deposit([before({ ulcerated: true }), now({ ulcerated: true, drainage: 'chalky' })]),
      severity: 'high',
      newSigns: ['drainage'],
    },
    {
      story: 'drainage that turned from chalky to serous is still the same drainage: quiet',
      deposit: deposit([before({ drainage: 'chalky' }), now({ drainage: 'serous' })]),
      severity: null,
    },
    {
      story: 'a new ulcer on a deposit with known infection is urgent because infection is present',
      deposit: deposit([before({ infectionSigns: true }), now({ infectionSigns: true, ulcerated: true })]),
      severity: 'urgent',
      newSigns: ['ulcerated'],
    },
    {
      story: 'a new deposit found already draining at its first evaluation fires',
      deposit: deposit([now({ drainage: 'milky' })], { isNewAtThisVisit: true }),
      severity: 'high',
      newSigns: ['drainage'],
    },
    {
      story: 'a truncated history of one evaluation cannot tell what is new: quiet',
      deposit: deposit([now({ ulcerated: true })]),
      severity: null,
    },
    {
      story: 'inflammation alone is not a complication of the rule',
      deposit: deposit([before(), now({ inflammation: true })]),
      severity: null,
    },
    {
      story: 'a healed ulcer is not a complication',
      deposit: deposit([before({ ulcerated: true }), now()]),
      severity: null,
    },
    {
      story: 'the previous evaluation counts whatever its method (signs are not sizes)',
      deposit: deposit([before({ method: 'ultrasound', ulcerated: true }), now({ method: 'photo', ulcerated: true })]),
      severity: null,
    },
    { story: 'an empty history stays quiet', deposit: deposit([]), severity: null },
  ])('$story', ({ deposit: history, severity, newSigns }) => {
    const finding = complicationRule(history, context('2025-06-01'), settings());
    expect(finding?.severity ?? null).toBe(severity);
    if (newSigns) expect(finding?.evidence.newSigns).toEqual(newSigns);
  });

  it('lists every new sign in one sentence and escalates', () => {
    const finding = complicationRule(
      deposit([before(), now({ ulcerated: true, drainage: 'chalky', infectionSigns: true })]),
      context('2025-06-01'),
      settings(),
    );
    expect(finding?.message).toBe(
      'R index pulp shows new ulceration, chalky drainage and signs of infection on 2025-06-01 (since 2025-03-01)',
    );
    expect(finding?.evidence).toMatchObject({
      referenceKind: 'previous',
      previousEvaluationId: 'caliper-2025-03-01',
      currentEvaluationId: 'caliper-2025-06-01',
      settingsVersion: 3,
    });
    expect(finding?.suggestedAction).toMatchObject({ currentTier: 0, suggestedTier: 1 });
  });
});
