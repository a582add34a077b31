import { describe, expect, it } from '@jest/globals';
import { context, deposit, evaluation, lastDate, readings, settings, treatment } from '../testing/fixtures';
import type { DepositHistory, EvaluationPoint, RuleSettings, TreatmentPoint } from '../types';
import { newDepositTreatmentFailureRule, treatmentFailureRule } from './treatment-failure.rule';

const colchicine = treatment('colchicine', '2025-01-10', { depositId: 'dep-1' });
const pain = (visitDate: string, painScore: number) => evaluation(visitDate, 10, { painScore });

interface Row {
  story: string;
  evaluations: EvaluationPoint[];
  treatments: TreatmentPoint[];
  settings?: Partial<RuleSettings>;
  /** the date of the record current at a physician's decision on the previous TREATMENT_FAILURE alert */
  decidedOn?: string;
  failed: string[] | null;
}

const diltiazem = treatment('diltiazem', '2024-12-01');
const off = { readingConfirmation: false };

describe('TREATMENT_FAILURE (deposit)', () => {
  it.each<Row>([
    {
      story: 'on colchicine for 5 months the deposit grew 8→13 mm on a rising trend: fires',
      evaluations: readings('caliper', [['2025-01-10', 8], ['2025-03-10', 10.5], ['2025-06-10', 13]]),
      treatments: [colchicine],
      failed: ['growth'],
    },
    {
      story: 'the same growth at exactly 4 months of tier 1 fires at the threshold',
      evaluations: readings('caliper', [['2025-01-10', 8], ['2025-03-10', 10.5], ['2025-05-10', 13]]),
      treatments: [colchicine],
      failed: ['growth'],
    },
    {
      story: 'the same growth after only 3 months of tier 1 is too early to call: quiet',
      evaluations: readings('caliper', [['2025-01-10', 8], ['2025-02-10', 10.5], ['2025-04-10', 13]]),
      treatments: [colchicine],
      failed: null,
    },
    {
      story: 'growth is measured from the tier’s start (10 mm), not from an older 5 mm reading: quiet',
      evaluations: readings('caliper', [['2024-10-01', 5], ['2025-01-10', 10], ['2025-03-10', 11.5], ['2025-06-10', 13]]),
      treatments: [colchicine],
      failed: null,
    },
    {
      story: 'a jump 8→20 mm needs no trend: fires with two readings',
      evaluations: readings('caliper', [['2025-01-10', 8], ['2025-06-10', 20]]),
      treatments: [colchicine],
      failed: ['growth'],
    },
    {
      story: 'an 8→13 mm rise with two readings cannot be confirmed: quiet',
      evaluations: readings('caliper', [['2025-01-10', 8], ['2025-06-10', 13]]),
      treatments: [colchicine],
      failed: null,
    },
    {
      story: 'an ultrasound at the tier’s start is not compared with a caliper reading now: quiet',
      evaluations: [evaluation('2025-01-10', 8, { method: 'ultrasound' }), evaluation('2025-06-10', 20)],
      treatments: [colchicine],
      failed: null,
    },
    {
      story: 'watchful waiting (tier 0) cannot fail',
      evaluations: readings('caliper', [['2025-01-10', 8], ['2025-06-10', 20]]),
      treatments: [treatment('watchful-waiting', '2024-06-01')],
      failed: null,
    },
    {
      story: 'after surgery (tier 4) there is no next rung',
      evaluations: readings('caliper', [['2025-01-10', 8], ['2025-06-10', 20]]),
      treatments: [treatment('surgical-excision', '2025-01-10', { depositId: 'dep-1' })],
      failed: null,
    },
    {
      story: 'lithotripsy still counting at 3 months, with 8→20 mm, fires',
      evaluations: readings('caliper', [['2025-01-10', 8], ['2025-04-10', 20]]),
      treatments: [treatment('lithotripsy', '2025-01-10', { depositId: 'dep-1' })],
      failed: ['growth'],
    },
    {
      story: 'a one-day lithotripsy stops counting after 30 days, so at 3 months nothing is on trial',
      evaluations: readings('caliper', [['2025-01-10', 8], ['2025-04-10', 20]]),
      treatments: [treatment('lithotripsy', '2025-01-10', { depositId: 'dep-1', endedOn: '2025-01-10' })],
      failed: null,
    },
    {
      story: 'a patient-wide immunosuppressant for 6 months counts for the deposit',
      evaluations: readings('caliper', [['2025-01-10', 8], ['2025-07-10', 20]]),
      treatments: [treatment('other-immunosuppressant', '2025-01-10')],
      failed: ['growth'],
    },
    {
      story: 'pain 3 before diltiazem started and 7 now (+4 points, +133 %) fires at once',
      evaluations: [pain('2024-11-15', 3), pain('2025-03-01', 3), pain('2025-06-10', 7)],
      treatments: [diltiazem],
      failed: ['pain'],
    },
    {
      story: 'pain 3 before diltiazem started, then 5 and 5 (+2 points twice) fires',
      evaluations: [pain('2024-11-15', 3), pain('2025-03-01', 5), pain('2025-06-10', 5)],
      treatments: [diltiazem],
      failed: ['pain'],
    },
    {
      story: 'a single reading 3 points up since the start (3, 3 then 6) stays quiet',
      evaluations: [pain('2024-11-15', 3), pain('2025-03-01', 3), pain('2025-06-10', 6)],
      treatments: [diltiazem],
      failed: null,
    },
    {
      story: 'readings older than the one current at the start do not count (8 in 2024, 3 at the start, then 5, 5): fires',
      evaluations: [pain('2024-06-01', 8), pain('2024-11-15', 3), pain('2025-03-01', 5), pain('2025-06-10', 5)],
      treatments: [diltiazem],
      failed: ['pain'],
    },
    {
      story: 'with no pain score before the start, the window starts at the first one after it (2, then 6): fires',
      evaluations: [evaluation('2024-11-15', 10), pain('2025-01-10', 2), pain('2025-06-10', 6)],
      treatments: [diltiazem],
      failed: ['pain'],
    },
    {
      story: 'pain 3→4 since the start is within the minimal important difference: quiet',
      evaluations: [pain('2024-11-15', 3), pain('2025-06-10', 4)],
      treatments: [diltiazem],
      failed: null,
    },
    {
      story: 'pain 3, then 7 and 7 confirms a rise since the start: fires',
      evaluations: [pain('2024-11-15', 3), pain('2025-03-01', 7), pain('2025-06-10', 7)],
      treatments: [diltiazem],
      failed: ['pain'],
    },
    {
      story: 'the same readings after the physician decided at the 7 of 2025-03-01: only 7, 7 count, quiet',
      evaluations: [pain('2024-11-15', 3), pain('2025-03-01', 7), pain('2025-06-10', 7)],
      treatments: [diltiazem],
      decidedOn: '2025-03-01',
      failed: null,
    },
    {
      story: 'a decision taken before the tier started leaves the window at the tier’s start: fires',
      evaluations: [pain('2024-11-15', 3), pain('2025-03-01', 7), pain('2025-06-10', 7)],
      treatments: [diltiazem],
      decidedOn: '2024-10-01',
      failed: ['pain'],
    },
    {
      story: 'no pain score now keeps the pain test quiet',
      evaluations: [pain('2024-11-15', 3), pain('2025-03-01', 7), evaluation('2025-06-10', 10)],
      treatments: [diltiazem],
      failed: null,
    },
    {
      story: 'confirmation off: pain 3 before diltiazem started and 6 now (+3, +100 %) fires, as before',
      evaluations: [pain('2024-11-15', 3), pain('2025-03-01', 3), pain('2025-06-10', 6)],
      treatments: [diltiazem],
      settings: off,
      failed: ['pain'],
    },
    {
      story: 'confirmation off: with no pain score before the start, the first one after it is the reference (2→5): fires',
      evaluations: [evaluation('2024-11-15', 10), pain('2025-01-10', 2), pain('2025-06-10', 5)],
      treatments: [diltiazem],
      settings: off,
      failed: ['pain'],
    },
    {
      story: 'confirmation off: pain 3→4 since the start stays quiet',
      evaluations: [pain('2024-11-15', 3), pain('2025-06-10', 4)],
      treatments: [diltiazem],
      settings: off,
      failed: null,
    },
    {
      story: 'growth and pain together are one finding naming both',
      evaluations: [
        evaluation('2025-01-10', 8, { painScore: 2 }),
        evaluation('2025-03-10', 10.5, { painScore: 2 }),
        evaluation('2025-06-10', 13, { painScore: 6 }),
      ],
      treatments: [colchicine],
      failed: ['growth', 'pain'],
    },
    { story: 'an empty history stays quiet', evaluations: [], treatments: [colchicine], failed: null },
  ])('$story', ({ evaluations, treatments, settings: overrides, decidedOn, failed }) => {
    const finding = treatmentFailureRule(deposit(evaluations, { decidedOn }), context(lastDate(evaluations), { treatments }), settings(overrides));
    expect(finding?.evidence.failed ?? null).toEqual(failed);
  });

  it('is high, names the tier, its start and minimum time, and suggests the next tier', () => {
    const evaluations = readings('caliper', [['2025-01-10', 8], ['2025-03-10', 10.5], ['2025-06-10', 13]]);
    const finding = treatmentFailureRule(deposit(evaluations), context('2025-06-10', { treatments: [colchicine] }), settings());
    expect(finding).toMatchObject({ rule: 'TREATMENT_FAILURE', severity: 'high', depositId: 'dep-1' });
    expect(finding?.message).toBe(
      'R index pulp grew from 8 mm (nadir, 2025-01-10) to 13 mm (+5 mm, +62 %) by caliper ' +
        'after 5 months on tier 1 (local or low-risk therapy), started 2025-01-10',
    );
    expect(finding?.evidence).toMatchObject({
      tier: 1,
      tierSince: '2025-01-10',
      minMonths: 4,
      monthsOnTier: 5,
      growth: { referenceKind: 'nadir', referenceMm: 8, currentMm: 13 },
      pain: null,
      settingsVersion: 3,
    });
    expect(finding?.suggestedAction).toMatchObject({ currentTier: 1, suggestedTier: 2 });
  });

  it('from tier 3 suggests surgery with the test-procedure caution', () => {
    const evaluations = readings('caliper', [['2025-01-10', 8], ['2025-04-10', 20]]);
    const ctx = context('2025-04-10', { treatments: [treatment('lithotripsy', '2025-01-10', { depositId: 'dep-1' })] });
    const finding = treatmentFailureRule(deposit(evaluations), ctx, settings());
    expect(finding?.suggestedAction.currentTier).toBe(3);
    expect(finding?.suggestedAction.suggestedTier).toBe(4);
    expect(finding?.suggestedAction.text).toContain('consider a small test procedure first; surgical trauma can trigger recurrence');
  });

  it('words a pain failure as one sentence, naming the median and the confirming readings', () => {
    const ctx = context('2025-06-10', { treatments: [diltiazem] });
    const confirmed = treatmentFailureRule(deposit([pain('2024-11-15', 3), pain('2025-03-01', 5), pain('2025-06-10', 5)]), ctx, settings());
    expect(confirmed?.message).toBe(
      'Pain at R index pulp rose to 5 and then 5 at the last two visits (2025-03-01, 2025-06-10), against 3 on 2024-11-15, the one reading before them ' +
        '(+2 and +2 points) after 6 months on tier 2 (systemic therapy), started 2024-12-01',
    );
    expect(confirmed?.evidence.pain).toMatchObject({
      windowStart: '2024-12-01',
      referenceKind: 'median',
      referenceCount: 1,
      confirmation: 'confirmed',
      confirmingEvaluationIds: ['caliper-2025-03-01', 'caliper-2025-06-10'],
    });
    const before = treatmentFailureRule(deposit([pain('2024-11-15', 3), pain('2025-06-10', 6)]), ctx, settings(off));
    expect(before?.message).toBe(
      'Pain at R index pulp rose from 3 to 6 (+3 points, +100 %) after 6 months on tier 2 (systemic therapy), started 2024-12-01',
    );
  });
});

describe('TREATMENT_FAILURE (new deposit, patient-level)', () => {
  const rituximab = treatment('rituximab', '2024-11-01');
  const newOne = deposit([evaluation('2025-06-10', 5)], { depositId: 'dep-9', label: 'L elbow', isNewAtThisVisit: true });
  const known = deposit(readings('caliper', [['2025-01-10', 8], ['2025-06-10', 8]]));

  it.each<{ story: string; deposits: DepositHistory[]; treatments: TreatmentPoint[]; firstVisit: boolean; fires: boolean }>([
    { story: 'a new deposit after 7 months of rituximab fires', deposits: [known, newOne], treatments: [rituximab], firstVisit: false, fires: true },
    { story: 'deposits found at the first visit are not a failure', deposits: [newOne], treatments: [rituximab], firstVisit: true, fires: false },
    {
      story: 'a new deposit after 2 months of rituximab is too early to call',
      deposits: [newOne],
      treatments: [treatment('rituximab', '2025-04-10')],
      firstVisit: false,
      fires: false,
    },
    { story: 'no new deposit, no failure', deposits: [known], treatments: [rituximab], firstVisit: false, fires: false },
    { story: 'a new deposit without treatment is NEW_DEPOSIT only', deposits: [newOne], treatments: [], firstVisit: false, fires: false },
    { story: 'no deposits at all stays quiet', deposits: [], treatments: [rituximab], firstVisit: false, fires: false },
  ])('$story', ({ deposits, treatments, firstVisit, fires }) => {
    const ctx = context('2025-06-10', { treatments, isFirstVisitOfPatient: firstVisit });
    expect(newDepositTreatmentFailureRule(deposits, ctx, settings()) !== null).toBe(fires);
  });

  it('judges the patient-wide tier, including a procedure aimed at another deposit', () => {
    const ctx = context('2025-06-10', { treatments: [treatment('lithotripsy', '2025-03-01', { depositId: 'dep-1' })] });
    const finding = newDepositTreatmentFailureRule([newOne], ctx, settings());
    expect(finding).toMatchObject({ rule: 'TREATMENT_FAILURE', depositId: null, severity: 'high' });
    expect(finding?.message).toBe(
      'New deposit L elbow appeared on 2025-06-10 after 3 months on tier 3 (procedure to break up deposits), started 2025-03-01',
    );
    expect(finding?.evidence).toMatchObject({ failed: ['new-deposit'], newDepositIds: ['dep-9'], tier: 3, minMonths: 3 });
    expect(finding?.suggestedAction.suggestedTier).toBe(4);
  });
});
