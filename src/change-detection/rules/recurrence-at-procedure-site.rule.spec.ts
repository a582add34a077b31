import { describe, expect, it } from '@jest/globals';
import { context, deposit, evaluation, lastDate, readings, settings, treatment } from '../testing/fixtures';
import type { DepositHistory, TreatmentPoint } from '../types';
import { recurrenceAtProcedureSiteRule } from './recurrence-at-procedure-site.rule';

const PROCEDURE_DAY = '2025-01-10';
const lithotripsy = treatment('lithotripsy', PROCEDURE_DAY, { depositId: 'dep-1', endedOn: PROCEDURE_DAY });
const excision = treatment('surgical-excision', PROCEDURE_DAY, { depositId: 'dep-1', endedOn: PROCEDURE_DAY });

interface Row {
  story: string;
  deposit: DepositHistory;
  treatments: TreatmentPoint[];
  firstVisit?: boolean;
  reason: string | null;
}

describe('RECURRENCE_AT_PROCEDURE_SITE', () => {
  it.each<Row>([
    {
      story: 'a new deposit at the scar of an earlier excision fires at a follow-up visit',
      deposit: deposit([evaluation('2025-04-10', 4)], { isNewAtThisVisit: true, priorProcedureSite: true }),
      treatments: [],
      reason: 'new-at-procedure-site',
    },
    {
      story: 'a deposit at an old procedure site recorded at the patient’s first visit is a recurrence too',
      deposit: deposit([evaluation('2025-04-10', 4)], { isNewAtThisVisit: true, priorProcedureSite: true }),
      treatments: [],
      firstVisit: true,
      reason: 'new-at-procedure-site',
    },
    {
      story: 'a new deposit away from any procedure site is not a recurrence',
      deposit: deposit([evaluation('2025-04-10', 4)], { isNewAtThisVisit: true }),
      treatments: [],
      reason: null,
    },
    {
      story: 'after lithotripsy the fragments grew 6→8 mm (+2 mm, the noise floor): fires',
      deposit: deposit(readings('caliper', [['2025-01-05', 15], ['2025-02-10', 6], ['2025-05-10', 8]])),
      treatments: [lithotripsy],
      reason: 'growth-after-procedure',
    },
    {
      story: 'after lithotripsy 6→7.9 mm is under the noise floor: quiet',
      deposit: deposit(readings('caliper', [['2025-01-05', 15], ['2025-02-10', 6], ['2025-05-10', 7.9]])),
      treatments: [lithotripsy],
      reason: null,
    },
    {
      story: 'growth is measured from the smallest reading after the procedure (6 mm), not before it (15 mm)',
      deposit: deposit(readings('caliper', [['2025-01-05', 15], ['2025-02-10', 6], ['2025-03-10', 9], ['2025-05-10', 10]])),
      treatments: [lithotripsy],
      reason: 'growth-after-procedure',
    },
    {
      story: 'an ultrasound after lithotripsy is not compared with a caliper reading now: quiet',
      deposit: deposit([evaluation('2025-02-10', 6, { method: 'ultrasound' }), evaluation('2025-05-10', 9)]),
      treatments: [lithotripsy],
      reason: null,
    },
    {
      story: 'a 3 mm deposit back after a surgical excision, with no post-operative reading, reappeared',
      deposit: deposit(readings('caliper', [['2024-12-01', 12], ['2025-06-01', 3]])),
      treatments: [excision],
      reason: 'reappeared-after-excision',
    },
    {
      story: 'a 1.5 mm reading after an excision is under the noise floor: quiet',
      deposit: deposit(readings('caliper', [['2024-12-01', 12], ['2025-06-01', 1.5]])),
      treatments: [excision],
      reason: null,
    },
    {
      story: 'a reading taken on the day of the excision is the pre-operative one: quiet',
      deposit: deposit(readings('caliper', [['2024-12-01', 12], [PROCEDURE_DAY, 12]])),
      treatments: [excision],
      reason: null,
    },
    {
      story: 'regrowth from a clean 0 mm post-operative check to 2 mm fires',
      deposit: deposit(readings('caliper', [['2025-02-01', 0], ['2025-06-01', 2]])),
      treatments: [excision],
      reason: 'growth-after-procedure',
    },
    {
      story: 'a stable residue after excision (3 mm, then 3 mm) is not growth',
      deposit: deposit(readings('caliper', [['2025-02-01', 3], ['2025-06-01', 3]])),
      treatments: [excision],
      reason: null,
    },
    {
      story: 'lithotripsy with no reading since gives nothing to compare with: quiet',
      deposit: deposit(readings('caliper', [['2024-12-01', 12], ['2025-06-01', 14]])),
      treatments: [lithotripsy],
      reason: null,
    },
    {
      story: 'a procedure on another deposit does not concern this one',
      deposit: deposit(readings('caliper', [['2025-02-10', 6], ['2025-05-10', 9]])),
      treatments: [{ ...lithotripsy, depositId: 'dep-2' }],
      reason: null,
    },
    {
      story: 'a procedure after the current reading does not count yet',
      deposit: deposit(readings('caliper', [['2024-10-10', 6], ['2024-12-10', 9]])),
      treatments: [lithotripsy],
      reason: null,
    },
    {
      story: 'growth without any procedure is DEPOSIT_GROWTH’s business, not a recurrence',
      deposit: deposit(readings('caliper', [['2025-02-10', 6], ['2025-05-10', 9]])),
      treatments: [treatment('colchicine', '2025-01-10', { depositId: 'dep-1' })],
      reason: null,
    },
    {
      story: 'an unusable current size stays quiet',
      deposit: deposit([evaluation('2025-02-10', 6), evaluation('2025-05-10', Number.NaN)]),
      treatments: [lithotripsy],
      reason: null,
    },
    { story: 'an empty history stays quiet', deposit: deposit([]), treatments: [lithotripsy], reason: null },
  ])('$story', ({ deposit: history, treatments, firstVisit, reason }) => {
    const ctx = context(lastDate(history.evaluations), { treatments, isFirstVisitOfPatient: firstVisit ?? false });
    const finding = recurrenceAtProcedureSiteRule(history, ctx, settings());
    expect(finding?.evidence.reason ?? null).toBe(reason);
  });

  it('is high, says what grew since which procedure, and escalates from the procedure’s tier', () => {
    // Within 30 days of the lithotripsy, so tier 3 still counts.
    const history = deposit(readings('caliper', [['2025-01-05', 15], ['2025-01-20', 6], ['2025-02-05', 9]]));
    const finding = recurrenceAtProcedureSiteRule(history, context('2025-02-05', { treatments: [lithotripsy] }), settings());
    expect(finding).toMatchObject({ rule: 'RECURRENCE_AT_PROCEDURE_SITE', severity: 'high', depositId: 'dep-1' });
    expect(finding?.message).toBe(
      'R index pulp grew from 6 mm (nadir since lithotripsy on 2025-01-10, 2025-01-20) to 9 mm (+3 mm, +50 %) by caliper',
    );
    expect(finding?.evidence).toMatchObject({
      referenceKind: 'nadir',
      referenceMm: 6,
      currentMm: 9,
      procedureKind: 'lithotripsy',
      procedureStartedOn: PROCEDURE_DAY,
      settingsVersion: 3,
    });
    expect(finding?.suggestedAction.currentTier).toBe(3);
    expect(finding?.suggestedAction.suggestedTier).toBe(4);
    expect(finding?.suggestedAction.text).toContain('consider a small test procedure first');
  });

  it('names the excision when a deposit reappears', () => {
    const history = deposit(readings('caliper', [['2024-12-01', 12], ['2025-06-01', 3]]));
    const finding = recurrenceAtProcedureSiteRule(history, context('2025-06-01', { treatments: [excision] }), settings());
    expect(finding?.message).toBe('R index pulp measures 3 mm by caliper on 2025-06-01, after its surgical-excision on 2025-01-10');
  });
});
