import { describe, expect, it } from '@jest/globals';
import { OpenAlertLedger, updatedSeverity, writeOutcomeOf, type OpenAlertState } from './alert-dedup';
import type { Finding, Severity } from './types';

const finding = (overrides: Partial<Finding> = {}): Finding => ({
  rule: 'PAIN_INCREASE',
  depositId: 'dep-1',
  severity: 'warning',
  message: 'Pain at R index pulp 6 at the last visit',
  evidence: { currentEvaluationId: 'e-2', painTo: 6 },
  suggestedAction: { currentTier: 0, suggestedTier: 1, text: 'consider tier 1' },
  ...overrides,
});

describe('de-duplication of findings into alerts', () => {
  const open: OpenAlertState = { severity: 'warning', message: finding().message, evidence: { painTo: 6, currentEvaluationId: 'e-2' } };

  it.each<{ story: string; open: OpenAlertState | null; finding: Finding; outcome: string }>([
    { story: 'a finding with no open alert raises one', open: null, finding: finding(), outcome: 'raised' },
    { story: 'the same message and evidence (in any key order) change nothing', open, finding: finding(), outcome: 'unchanged' },
    { story: 'new evidence updates the open alert', open, finding: finding({ evidence: { currentEvaluationId: 'e-3', painTo: 7 } }), outcome: 'updated' },
    { story: 'a new message updates the open alert', open, finding: finding({ message: 'Pain at R index pulp 7 at the last visit' }), outcome: 'updated' },
  ])('$story', ({ open: state, finding: f, outcome }) => {
    expect(writeOutcomeOf(state, f)).toBe(outcome);
  });

  it.each<[Severity, Severity, Severity]>([
    ['warning', 'high', 'high'],
    ['high', 'warning', 'high'],
    ['info', 'urgent', 'urgent'],
    ['urgent', 'urgent', 'urgent'],
  ])('an alert at %s updated by a %s finding is %s: raised, never lowered', (was, found, is) => {
    expect(updatedSeverity(was, found)).toBe(is);
  });

  it('keeps one open alert per deposit and rule in a patient’s ledger', () => {
    const ledger = new OpenAlertLedger();
    expect(ledger.write(finding())).toBe('raised');
    expect(ledger.write(finding())).toBe('unchanged');
    expect(ledger.write(finding({ evidence: { currentEvaluationId: 'e-3' } }))).toBe('updated');
    expect(ledger.write(finding({ depositId: 'dep-2' }))).toBe('raised');
    expect(ledger.write(finding({ rule: 'MIGRATION' }))).toBe('raised');
    expect(ledger.write(finding({ rule: 'BURDEN_GROWTH', depositId: null }))).toBe('raised');
    expect(ledger.write(finding({ rule: 'BURDEN_GROWTH', depositId: null }))).toBe('unchanged');
  });
});
