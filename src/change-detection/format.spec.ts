import { describe, expect, it } from '@jest/globals';
import { evidenceNumber, formatChange, formatMm, formatSignedPercent, joinWords } from './format';

describe('format', () => {
  it.each([
    [8, '8'],
    [12.5, '12.5'],
    [12.46, '12.5'],
    [4.999999999, '5'],
    [-0.01, '0'],
  ])('shows %p mm as %p', (mm, text) => {
    expect(formatMm(mm)).toBe(text);
  });

  it.each([
    [62.5, '+62 %'],
    [19.99, '+19 %'],
    [-37.5, '-37 %'],
    [-0.4, '+0 %'],
  ])('truncates %p percent toward zero as %p', (percent, text) => {
    expect(formatSignedPercent(percent)).toBe(text);
  });

  it('writes a change with and without a percent', () => {
    expect(formatChange(5, 62.5)).toBe('+5 mm, +62 %');
    expect(formatChange(-3.25, -40)).toBe('-3.3 mm, -40 %');
    expect(formatChange(2, null)).toBe('+2 mm');
  });

  it('keeps evidence JSON-safe', () => {
    expect(evidenceNumber(1.23456)).toBe(1.23);
    expect(evidenceNumber(Number.POSITIVE_INFINITY)).toBe('+Infinity');
    expect(evidenceNumber(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
    expect(evidenceNumber(Number.NaN)).toBe('NaN');
  });

  it.each([
    [[], ''],
    [['ulceration'], 'ulceration'],
    [['ulceration', 'chalky drainage'], 'ulceration and chalky drainage'],
    [['a', 'b', 'c'], 'a, b and c'],
  ])('joins %p as %p', (words, text) => {
    expect(joinWords(words)).toBe(text);
  });
});
