import { describe, expect, it } from '@jest/globals';
import { context, settings, treatment } from '../testing/fixtures';
import type { LabPoint, Severity } from '../types';
import { labAbnormalRule } from './lab-abnormal.rule';

const lab = (correctedCalciumMgDl: number | null, calciumPhosphateProduct: number | null): LabPoint => ({
  id: 'lab-1',
  collectedOn: '2025-06-10',
  correctedCalciumMgDl,
  calciumPhosphateProduct,
});

describe('LAB_ABNORMAL', () => {
  it.each<{ story: string; lab: LabPoint | null; severity: Severity | null }>([
    { story: 'corrected calcium 10.6 mg/dL is above 10.2: warning', lab: lab(10.6, 40), severity: 'warning' },
    { story: 'corrected calcium of exactly 10.2 mg/dL is within target: quiet', lab: lab(10.2, 40), severity: null },
    { story: 'a Ca×P of 55 is at the warning threshold', lab: lab(9.5, 55), severity: 'warning' },
    { story: 'a Ca×P of 54.9 stays quiet', lab: lab(9.5, 54.9), severity: null },
    { story: 'a Ca×P of 70 is high', lab: lab(9.5, 70), severity: 'high' },
    { story: 'high calcium and a Ca×P of 72 make one high finding', lab: lab(10.8, 72), severity: 'high' },
    { story: 'a lab without calcium or phosphate stays quiet', lab: lab(null, null), severity: null },
    { story: 'a non-numeric value is ignored', lab: lab(Number.NaN, Number.POSITIVE_INFINITY), severity: null },
    { story: 'no lab at this visit stays quiet', lab: null, severity: null },
  ])('$story', ({ lab: input, severity }) => {
    expect(labAbnormalRule(input, context('2025-06-10'), settings())?.severity ?? null).toBe(severity);
  });

  it('suggests re-checking the calcinosis type and never an escalation', () => {
    const finding = labAbnormalRule(lab(10.8, 72), context('2025-06-10', { treatments: [treatment('diltiazem', '2025-01-10')] }), settings());
    expect(finding).toMatchObject({ rule: 'LAB_ABNORMAL', depositId: null });
    expect(finding?.message).toBe(
      'Lab of 2025-06-10 shows corrected calcium 10.8 mg/dL (above 10.2) and Ca×P 72 mg²/dL² (at or above 70); ' +
        're-check whether the calcinosis is metastatic',
    );
    expect(finding?.suggestedAction).toEqual({
      currentTier: 2,
      suggestedTier: 2,
      text: 'Current: tier 2 (systemic therapy). No escalation: re-check the calcinosis type (metastatic?).',
    });
    expect(finding?.evidence).toMatchObject({
      labId: 'lab-1',
      abnormal: [
        { key: 'correctedCalcium', value: 10.8, threshold: 10.2, severity: 'warning' },
        { key: 'calciumPhosphateProduct', value: 72, threshold: 70, severity: 'high' },
      ],
      settingsVersion: 3,
    });
  });
});
