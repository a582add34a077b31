import { describe, expect, it } from '@jest/globals';
import { evaluation, readings } from './testing/fixtures';
import { previousOf, sameClassHistory, smallestOf, truncateHistoryFrom } from './history';

describe('history', () => {
  it('keeps only the current method class and usable sizes', () => {
    const history = sameClassHistory([
      evaluation('2025-01-10', 8, { method: 'palpation' }),
      evaluation('2025-02-10', 9, { method: 'ultrasound' }),
      evaluation('2025-03-10', Number.NaN, { method: 'caliper' }),
      evaluation('2025-04-10', 10, { method: 'photo' }),
      evaluation('2025-05-10', 11, { method: 'caliper' }),
    ]);
    expect(history?.earlier.map((e) => e.id)).toEqual(['palpation-2025-01-10', 'photo-2025-04-10']);
    expect(history?.current.id).toBe('caliper-2025-05-10');
    expect(history?.all).toHaveLength(3);
  });

  it('never takes a second reading of the same visit as a reference', () => {
    const sameVisit = [
      evaluation('2025-01-10', 12, { method: 'caliper', painScore: 1 }),
      evaluation('2025-07-10', 9, { method: 'palpation', painScore: 2 }),
      evaluation('2025-07-10', 14, { method: 'caliper', painScore: 6 }),
    ];
    expect(sameClassHistory(sameVisit)?.earlier.map((e) => e.id)).toEqual(['caliper-2025-01-10']);
    expect(previousOf(sameVisit)?.id).toBe('caliper-2025-01-10');
  });

  it.each([
    ['an empty history', []],
    ['an unusable current size', [evaluation('2025-01-10', -1)]],
  ])('has no same-class history for %s', (_story, evaluations) => {
    expect(sameClassHistory(evaluations)).toBeNull();
  });

  it('finds the first smallest reading and the previous one', () => {
    const series = readings('caliper', [['2025-01-10', 9], ['2025-02-10', 7], ['2025-03-10', 7], ['2025-04-10', 10]]);
    expect(smallestOf(series)?.visitDate).toBe('2025-02-10');
    expect(smallestOf([])).toBeNull();
    expect(previousOf(series)?.visitDate).toBe('2025-03-10');
    expect(previousOf(series.slice(0, 1))).toBeNull();
  });

  it.each([
    ['starts at the evaluation current on the decision day', '2025-03-15', ['2025-03-10', '2025-04-10']],
    ['keeps a decision-day evaluation', '2025-04-10', ['2025-04-10']],
    ['keeps everything for a decision before the first evaluation', '2024-12-01', ['2025-01-10', '2025-03-10', '2025-04-10']],
  ])('truncation %s', (_story, decisionDate, dates) => {
    const series = readings('caliper', [['2025-01-10', 9], ['2025-03-10', 7], ['2025-04-10', 10]]);
    expect(truncateHistoryFrom(series, decisionDate).map((e) => e.visitDate)).toEqual(dates);
  });
});
