import { describe, expect, it } from '@jest/globals';
import { type EvaluationColumns, inHistoryOrder } from './clinical-history.loader';

/** Columns of evaluations given as [visit date, seq, size], the other columns derived from them. */
function columns(rows: [string, number, number][]): EvaluationColumns {
  return {
    deposit_id: 'd1',
    seq: rows.map((r) => r[1]),
    id: rows.map((r) => `e${r[1]}`),
    visit_date: rows.map((r) => r[0]),
    method: rows.map(() => 'caliper'),
    longest_diameter_mm: rows.map((r) => r[2]),
    shape: rows.map(() => null),
    margin: rows.map(() => null),
    landmark: rows.map((r) => `L${r[1]}`),
    x_mm: rows.map((r) => r[1] / 10),
    y_mm: rows.map(() => null),
    mobility: rows.map(() => null),
    ulcerated: rows.map((r) => r[1] % 2 === 0),
    infection_signs: rows.map(() => false),
    inflammation: rows.map(() => false),
    nerve_compression: rows.map(() => false),
    drainage: rows.map(() => 'none'),
    pain_score: rows.map((r) => r[1] % 11),
    current_seq: 7,
  };
}

describe('inHistoryOrder', () => {
  it('returns columns already in history order as they are', () => {
    const c = columns([['2024-01-10', 3, 10], ['2024-01-10', 9, 11], ['2024-04-10', 7, 12]]);
    expect(inHistoryOrder(c)).toBe(c);
  });

  it('sorts every column by visit date, then stored order, keeping each evaluation whole', () => {
    const c = columns([['2024-04-10', 7, 12], ['2024-01-10', 9, 11], ['2024-01-10', 3, 10], ['2023-12-01', 12, 9]]);
    const sorted = inHistoryOrder(c);
    expect(sorted.seq).toEqual([12, 3, 9, 7]);
    expect(sorted.visit_date).toEqual(['2023-12-01', '2024-01-10', '2024-01-10', '2024-04-10']);
    expect(sorted.id).toEqual(['e12', 'e3', 'e9', 'e7']);
    expect(sorted.longest_diameter_mm).toEqual([9, 10, 11, 12]);
    expect(sorted.landmark).toEqual(['L12', 'L3', 'L9', 'L7']);
    expect(sorted.x_mm).toEqual([1.2, 0.3, 0.9, 0.7]);
    expect(sorted.ulcerated).toEqual([true, false, false, false]);
    expect(sorted.pain_score).toEqual([1, 3, 9, 7]);
    expect(sorted.current_seq).toBe(7);
    expect(c.seq).toEqual([7, 9, 3, 12]); // the input is left as it was
  });

  it('leaves a deposit without evaluations alone', () => {
    const none = { ...columns([]), seq: null, id: null, visit_date: null, current_seq: null };
    expect(inHistoryOrder(none)).toBe(none);
  });
});
