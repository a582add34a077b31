import { describe, expect, it } from '@jest/globals';
import { detectChanges, detectOverdue, overdueCandidateOf, type DetectChangesInput } from './detect-changes';
import { deposit, evaluation, readings, settings, treatment } from './testing/fixtures';
import type { Finding, LabPoint, RuleCode } from './types';

const VISIT = '2025-07-10';

const growing = deposit(
  [...readings('caliper', [['2025-01-10', 8], ['2025-04-10', 9]]), evaluation(VISIT, 20, { ulcerated: true })],
  { depositId: 'A', label: 'R index pulp' },
);
const notSeenToday = deposit(readings('caliper', [['2025-01-10', 8], ['2025-04-10', 20]]), { depositId: 'B', label: 'L elbow' });
const abnormalLab: LabPoint = { id: 'lab-1', collectedOn: VISIT, correctedCalciumMgDl: 10.9, calciumPhosphateProduct: 40 };

function input(overrides: Partial<DetectChangesInput> = {}): DetectChangesInput {
  return {
    visitDate: VISIT,
    today: VISIT,
    isFirstVisitOfPatient: false,
    deposits: [growing, notSeenToday],
    evaluatedDepositIds: ['A'],
    treatments: [],
    lab: null,
    settings: settings(),
    settingsVersion: 7,
    ...overrides,
  };
}

const summary = (findings: Finding[]) => findings.map((finding) => `${finding.rule}:${finding.depositId ?? 'patient'}`);

const HOLDING_RULES: readonly RuleCode[] = ['LAB_ABNORMAL', 'REGRESSION', 'OVERDUE_REVIEW'];

describe('detectChanges', () => {
  it.each<{ story: string; input: DetectChangesInput; expected: string[] }>([
    {
      story: 'a deposit that doubled and ulcerated, with a high calcium, gives growth, complication, burden and lab findings',
      input: input({ lab: abnormalLab }),
      expected: ['DEPOSIT_GROWTH:A', 'COMPLICATION:A', 'BURDEN_GROWTH:patient', 'LAB_ABNORMAL:patient'],
    },
    {
      story: 'deposits not evaluated at this visit get no deposit-level rules',
      input: input({ evaluatedDepositIds: [] }),
      expected: [],
    },
    {
      story: 'at the first visit new deposits are the baseline; a draining one is still flagged',
      input: input({
        isFirstVisitOfPatient: true,
        deposits: [
          deposit([evaluation(VISIT, 12, { drainage: 'chalky' })], { depositId: 'A', isNewAtThisVisit: true }),
          deposit([evaluation(VISIT, 6)], { depositId: 'B', isNewAtThisVisit: true }),
        ],
        evaluatedDepositIds: ['A', 'B'],
        treatments: [treatment('rituximab', '2024-01-01')],
      }),
      expected: ['COMPLICATION:A'],
    },
    {
      story: 'a new deposit after 8 months of rituximab is new, a treatment failure, and lifts the burden',
      input: input({
        deposits: [
          deposit(readings('caliper', [['2025-01-10', 20], [VISIT, 20]]), { depositId: 'A' }),
          deposit([evaluation(VISIT, 6)], { depositId: 'N', isNewAtThisVisit: true }),
        ],
        evaluatedDepositIds: ['A', 'N'],
        treatments: [treatment('rituximab', '2024-11-01')],
      }),
      expected: ['NEW_DEPOSIT:N', 'BURDEN_GROWTH:patient', 'TREATMENT_FAILURE:patient'],
    },
    {
      story: 'a patient with no deposits and no lab has nothing to flag',
      input: input({ deposits: [], evaluatedDepositIds: [] }),
      expected: [],
    },
  ])('$story', ({ input: visit, expected }) => {
    expect(summary(detectChanges(visit))).toEqual(expected);
  });

  it('gives every finding the settings version, JSON-safe evidence and a consistent suggested tier', () => {
    const findings = detectChanges(
      input({ lab: abnormalLab, treatments: [treatment('colchicine', '2025-01-10', { depositId: 'A' })] }),
    );
    expect(findings.length).toBeGreaterThan(3);
    for (const finding of findings) {
      expect(finding.evidence.settingsVersion).toBe(7);
      expect(JSON.parse(JSON.stringify(finding.evidence))).toEqual(finding.evidence);
      const { currentTier, suggestedTier } = finding.suggestedAction;
      const expectedTier = HOLDING_RULES.includes(finding.rule) ? currentTier : Math.min(currentTier + 1, 4);
      expect(suggestedTier).toBe(expectedTier);
    }
  });

  describe('after a physician resolved an alert', () => {
    const grownAgain = deposit(
      readings('caliper', [['2025-01-10', 8], ['2025-04-10', 9], [VISIT, 20], ['2025-10-10', 21]]),
      { depositId: 'A' },
    );
    const nextVisit = { visitDate: '2025-10-10', today: '2025-10-10', deposits: [grownAgain] };

    it.each<{ story: string; cuts: DetectChangesInput['referenceCuts']; fires: boolean }>([
      { story: 'without a decision the 8→21 mm growth is flagged', cuts: [], fires: true },
      {
        story: 'a decision after the 20 mm visit means 21 mm is not new growth',
        cuts: [{ rule: 'DEPOSIT_GROWTH', depositId: 'A', decisionDate: '2025-07-15' }],
        fires: false,
      },
      {
        story: 'a decision about another deposit does not silence this one',
        cuts: [{ rule: 'DEPOSIT_GROWTH', depositId: 'B', decisionDate: '2025-07-15' }],
        fires: true,
      },
    ])('$story', ({ cuts, fires }) => {
      const findings = detectChanges(input({ ...nextVisit, evaluatedDepositIds: ['A'], referenceCuts: cuts }));
      expect(summary(findings).includes('DEPOSIT_GROWTH:A')).toBe(fires);
    });

    // pain 1, 1, 5 (an alert), a visit without a score at which the physician decided, then 9
    const painAfterDecision = deposit(
      [
        evaluation('2025-01-10', 10, { painScore: 1 }),
        evaluation('2025-04-10', 10, { painScore: 1 }),
        evaluation(VISIT, 10, { painScore: 5 }),
        evaluation('2025-10-10', 10),
        evaluation('2026-01-10', 10, { painScore: 9 }),
      ],
      { depositId: 'A' },
    );

    it.each<{ story: string; decisionDate: string; fires: boolean }>([
      { story: 'pain is judged from the reading current at the decision (5, from an earlier visit): 9 fires at once', decisionDate: '2025-10-10', fires: true },
      { story: 'a decision after the 9 leaves it without a later reading: quiet', decisionDate: '2026-01-10', fires: false },
    ])('$story', ({ decisionDate, fires }) => {
      const findings = detectChanges(
        input({
          visitDate: '2026-01-10',
          today: '2026-01-10',
          deposits: [painAfterDecision],
          evaluatedDepositIds: ['A'],
          referenceCuts: [{ rule: 'PAIN_INCREASE', depositId: 'A', decisionDate }],
        }),
      );
      expect(summary(findings).includes('PAIN_INCREASE:A')).toBe(fires);
    });

    it('a lab already judged before the decision is not flagged again', () => {
      const cuts = [{ rule: 'LAB_ABNORMAL' as const, depositId: null, decisionDate: VISIT }];
      expect(summary(detectChanges(input({ lab: abnormalLab, referenceCuts: cuts })))).not.toContain('LAB_ABNORMAL:patient');
    });
  });
});

describe('detectOverdue', () => {
  it('flags only the active deposits whose review is due, as info', () => {
    const findings = detectOverdue({
      deposits: [
        { depositId: 'A', label: 'R index pulp', status: 'active', lastEvaluatedOn: '2024-01-10' },
        { depositId: 'B', label: 'L elbow', status: 'active', lastEvaluatedOn: '2024-12-10' },
        { depositId: 'C', label: 'R knee', status: 'resolved', lastEvaluatedOn: '2020-01-10' },
        { depositId: 'D', label: 'L hip', status: 'active', lastEvaluatedOn: '2024-07-01' },
      ],
      treatments: [treatment('colchicine', '2024-06-01', { depositId: 'D' })],
      today: '2025-01-10',
      settings: settings(),
      settingsVersion: 7,
    });
    expect(summary(findings)).toEqual(['OVERDUE_REVIEW:A', 'OVERDUE_REVIEW:D']);
    expect(findings.every((finding) => finding.severity === 'info')).toBe(true);
  });

  it('returns nothing for a clinic without deposits', () => {
    expect(detectOverdue({ deposits: [], treatments: [], today: '2025-01-10', settings: settings(), settingsVersion: 1 })).toEqual([]);
  });

  it('builds a candidate from a history', () => {
    expect(overdueCandidateOf(growing)).toEqual({ depositId: 'A', label: 'R index pulp', status: 'active', lastEvaluatedOn: VISIT });
    expect(overdueCandidateOf(deposit([])).lastEvaluatedOn).toBeNull();
  });
});
