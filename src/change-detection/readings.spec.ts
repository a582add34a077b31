import { describe, expect, it } from '@jest/globals';
import { median, readingsFrom, readingsOf } from './readings';
import { evaluation } from './testing/fixtures';
import type { EvaluationPoint } from './types';

const pain = (evaluation: EvaluationPoint) => (typeof evaluation.painScore === 'number' ? evaluation.painScore : null);

describe('readings', () => {
  it.each<[string, number[], number]>([
    ['one value', [4], 4],
    ['an odd count: the middle value', [5, 1, 3], 3],
    ['an even count: the mean of the two middle values', [1, 5], 3],
    ['an even count, unsorted', [7, 1, 2, 9], 4.5],
    ['a value far off does not move it', [1, 1, 9], 1],
  ])('the median of %s', (_story, values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('the median of nothing is not a number', () => {
    expect(median([])).toBeNaN();
  });

  it('skips evaluations without the value and keeps one reading per visit date, the last stored', () => {
    const history = [
      evaluation('2025-01-10', 10, { painScore: 2 }),
      evaluation('2025-04-10', 10),
      evaluation('2025-07-10', 10, { method: 'ultrasound', painScore: 7 }),
      evaluation('2025-07-10', 10, { painScore: 3 }),
      evaluation('2025-07-10', 10, { method: 'photo' }),
    ];
    expect(readingsOf(history, pain).map((r) => [r.evaluation.id, r.value])).toEqual([
      ['caliper-2025-01-10', 2],
      ['caliper-2025-07-10', 3],
    ]);
    expect(readingsOf([], pain)).toEqual([]);
  });

  it.each<[string, string | null, string[]]>([
    ['no decision: every reading', null, ['2025-01-10', '2025-04-10', '2025-07-10']],
    ['decided on a reading date: from that reading', '2025-04-10', ['2025-04-10', '2025-07-10']],
    ['decided between readings: from the last one before', '2025-05-20', ['2025-04-10', '2025-07-10']],
    ['decided before any reading: every reading', '2024-12-01', ['2025-01-10', '2025-04-10', '2025-07-10']],
    ['decided after the last reading: that one alone', '2025-09-01', ['2025-07-10']],
  ])('readings from the one current at a decision: %s', (_story, decidedOn, dates) => {
    const readings = readingsOf(['2025-01-10', '2025-04-10', '2025-07-10'].map((date) => evaluation(date, 10, { painScore: 1 })), pain);
    expect(readingsFrom(readings, decidedOn).map((r) => r.evaluation.visitDate)).toEqual(dates);
  });
});
