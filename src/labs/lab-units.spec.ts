import { describe, expect, it } from '@jest/globals';
import {
  ANALYTES,
  convertLabValue,
  implausibilityOf,
  LAB_UNITS,
  LabInputError,
  labInputProblems,
  roundLab,
  toConventional,
  type Analyte,
  type LabValuesInput,
} from './lab-units';

describe('convertLabValue: to conventional units', () => {
  it.each<[string, Analyte, number, string, number]>([
    ['calcium already in mg/dL stays as typed', 'calcium', 9.6, 'mg/dL', 9.6],
    ['calcium 2.6 mmol/L (SI report) is 10.42 mg/dL', 'calcium', 2.6, 'mmol/L', 10.42],
    ['calcium 2.2 mmol/L is 8.82 mg/dL', 'calcium', 2.2, 'mmol/L', 8.82],
    ['albumin 30 g/L is 3 g/dL', 'albumin', 30, 'g/L', 3],
    ['albumin in g/dL stays as typed', 'albumin', 4.1, 'g/dL', 4.1],
    ['phosphate 1.5 mmol/L is 4.65 mg/dL', 'phosphate', 1.5, 'mmol/L', 4.65],
    ['phosphate in mg/dL stays as typed', 'phosphate', 3.2, 'mg/dL', 3.2],
    ['PTH in ng/L equals pg/mL', 'pth', 65, 'ng/L', 65],
    ['PTH 10 pmol/L is 94.3 pg/mL', 'pth', 10, 'pmol/L', 94.3],
    ['PTH in pg/mL stays as typed', 'pth', 40, 'pg/mL', 40],
    ['vitamin D 75 nmol/L is 30.05 ng/mL', 'vitaminD', 75, 'nmol/L', 30.05],
    ['vitamin D in ng/mL stays as typed', 'vitaminD', 28, 'ng/mL', 28],
    ['eGFR has one unit only', 'egfr', 58, 'mL/min/1.73m2', 58],
  ])('%s', (_story, analyte, value, unit, expected) => {
    expect(roundLab(convertLabValue(analyte, value, unit)!)).toBe(expected);
  });

  it.each<[Analyte, string]>([
    ['calcium', 'mg/L'],
    ['albumin', 'g/l'],
    ['phosphate', 'mmol'],
    ['pth', 'pg/dL'],
    ['vitaminD', 'nmol/mL'],
    ['egfr', 'mL/min'],
    ['calcium', ''],
  ])('refuses %s in %p (not one of its units)', (analyte, unit) => {
    expect(convertLabValue(analyte, 1, unit)).toBeNull();
  });

  it('lists the conventional unit first for every analyte', () => {
    expect(ANALYTES.map((a) => LAB_UNITS[a][0])).toEqual(['mg/dL', 'g/dL', 'mg/dL', 'pg/mL', 'ng/mL', 'mL/min/1.73m2']);
  });
});

describe('roundLab', () => {
  it.each([
    [10.4208, 10.42],
    [1.005, 1.01],
    [3, 3],
    [0, 0],
    [30.048076923, 30.05],
  ])('%p → %p', (value, expected) => {
    expect(roundLab(value)).toBe(expected);
  });
});

describe('implausibilityOf: ranges apply after conversion', () => {
  it.each<[string, Analyte, number, string, boolean]>([
    ['calcium 2.6 mg/dL is very low but possible: not refused', 'calcium', 2.6, 'mg/dL', false],
    ['calcium 0.9 mg/dL is below 1', 'calcium', 0.9, 'mg/dL', true],
    ['calcium 104 mg/dL (a misplaced decimal) is above 25', 'calcium', 104, 'mg/dL', true],
    ['calcium 7 mmol/L is 28.06 mg/dL: above 25', 'calcium', 7, 'mmol/L', true],
    ['calcium exactly 25 mg/dL is allowed', 'calcium', 25, 'mg/dL', false],
    ['calcium exactly 1 mg/dL is allowed', 'calcium', 1, 'mg/dL', false],
    ['albumin 40 typed as g/dL is above 8', 'albumin', 40, 'g/dL', true],
    ['albumin 40 g/L is 4 g/dL', 'albumin', 40, 'g/L', false],
    ['albumin 4 g/L is 0.4 g/dL: below 0.5', 'albumin', 4, 'g/L', true],
    ['phosphate 0.2 mg/dL is below 0.3', 'phosphate', 0.2, 'mg/dL', true],
    ['phosphate 9 mmol/L is 27.87 mg/dL: above 25', 'phosphate', 9, 'mmol/L', true],
    ['PTH 0 pg/mL is allowed (undetectable)', 'pth', 0, 'pg/mL', false],
    ['PTH −1 pg/mL is refused', 'pth', -1, 'pg/mL', true],
    ['PTH 1100 pmol/L is 10373 pg/mL: above 10000', 'pth', 1100, 'pmol/L', true],
    ['vitamin D 1000 nmol/L is 400.64 ng/mL: above 400', 'vitaminD', 1000, 'nmol/L', true],
    ['vitamin D 998 nmol/L is 399.84 ng/mL: allowed', 'vitaminD', 998, 'nmol/L', false],
    ['eGFR 251 is above 250', 'egfr', 251, 'mL/min/1.73m2', true],
    ['eGFR −5 is refused', 'egfr', -5, 'mL/min/1.73m2', true],
  ])('%s', (_story, analyte, value, unit, implausible) => {
    expect(implausibilityOf(analyte, value, unit) !== null).toBe(implausible);
  });

  it('shows the converted value and the range in conventional units', () => {
    expect(implausibilityOf('calcium', 7, 'mmol/L')).toBe('must be between 1 and 25 mg/dL (got 7 mmol/L = 28.06 mg/dL); check the value and its unit');
  });

  it('leaves an unknown unit to the unit check', () => {
    expect(implausibilityOf('calcium', 1000, 'furlongs')).toBeNull();
  });
});

describe('toConventional', () => {
  it('converts an SI panel and derives corrected calcium and Ca×P from the stored values', () => {
    const labs = toConventional({
      calcium: { value: 2.6, unit: 'mmol/L' },
      albumin: { value: 30, unit: 'g/L' },
      phosphate: { value: 1.5, unit: 'mmol/L' },
      pth: { value: 10, unit: 'pmol/L' },
      vitaminD: { value: 75, unit: 'nmol/L' },
      egfr: { value: 58, unit: 'mL/min/1.73m2' },
    });
    expect(labs).toEqual({
      calciumMgDl: 10.42,
      albuminGDl: 3,
      phosphateMgDl: 4.65,
      pthPgMl: 94.3,
      vitaminDNgMl: 30.05,
      egfrMlMin173m2: 58,
      correctedCalciumMgDl: 11.22, // 10.42 + 0.8 × (4 − 3)
      calciumPhosphateProduct: 48.45, // 10.42 × 4.65
      entered: {
        calcium: { value: 2.6, unit: 'mmol/L' },
        albumin: { value: 30, unit: 'g/L' },
        phosphate: { value: 1.5, unit: 'mmol/L' },
        pth: { value: 10, unit: 'pmol/L' },
        vitaminD: { value: 75, unit: 'nmol/L' },
        egfr: { value: 58, unit: 'mL/min/1.73m2' },
      },
    });
  });

  it('lowers corrected calcium when albumin is high', () => {
    const labs = toConventional({ calcium: { value: 9.0, unit: 'mg/dL' }, albumin: { value: 4.5, unit: 'g/dL' } });
    expect(labs.correctedCalciumMgDl).toBe(8.6);
    expect(labs.calciumPhosphateProduct).toBeNull();
  });

  it.each<[string, LabValuesInput, Partial<Record<'correctedCalciumMgDl' | 'calciumPhosphateProduct', number | null>>]>([
    ['calcium alone: no corrected calcium, no product', { calcium: { value: 9.4, unit: 'mg/dL' } }, { correctedCalciumMgDl: null, calciumPhosphateProduct: null }],
    ['albumin alone: nothing derived', { albumin: { value: 3.5, unit: 'g/dL' } }, { correctedCalciumMgDl: null, calciumPhosphateProduct: null }],
    ['phosphate alone: nothing derived', { phosphate: { value: 4, unit: 'mg/dL' } }, { correctedCalciumMgDl: null, calciumPhosphateProduct: null }],
    ['Ca 11 mg/dL × P 6.5 mg/dL = 71.5 (the high Ca×P band)', { calcium: { value: 11, unit: 'mg/dL' }, phosphate: { value: 6.5, unit: 'mg/dL' } }, { calciumPhosphateProduct: 71.5, correctedCalciumMgDl: null }],
  ])('%s', (_story, input, expected) => {
    expect(toConventional(input)).toMatchObject(expected);
  });

  it('stores null for every analyte not given and keeps only the given ones in `entered`', () => {
    const labs = toConventional({ egfr: { value: 90, unit: 'mL/min/1.73m2' }, calcium: null });
    expect(labs).toMatchObject({ calciumMgDl: null, albuminGDl: null, phosphateMgDl: null, pthPgMl: null, vitaminDNgMl: null, egfrMlMin173m2: 90 });
    expect(labs.entered).toEqual({ egfr: { value: 90, unit: 'mL/min/1.73m2' } });
  });

  it('refuses an input without any analyte', () => {
    expect(() => toConventional({})).toThrow(LabInputError);
    expect(labInputProblems({})).toEqual([{ field: 'calcium', message: expect.stringContaining('calcium, albumin, phosphate, pth, vitaminD, egfr') }]);
  });

  it.each<[string, LabValuesInput, string[]]>([
    ['an unknown unit', { calcium: { value: 9, unit: 'mg/L' } }, ['calcium.unit']],
    ['a missing value', { albumin: { unit: 'g/dL' } as never }, ['albumin.value']],
    ['a value written as text', { phosphate: { value: '4' as never, unit: 'mg/dL' } }, ['phosphate.value']],
    ['NaN', { pth: { value: Number.NaN, unit: 'pg/mL' } }, ['pth.value']],
    ['Infinity', { vitaminD: { value: Number.POSITIVE_INFINITY, unit: 'ng/mL' } }, ['vitaminD.value']],
    ['an implausible value', { calcium: { value: 30, unit: 'mg/dL' } }, ['calcium.value']],
    ['several problems at once, each named', { calcium: { value: 40, unit: 'mg/dL' }, egfr: { value: 60, unit: 'ml/min' } }, ['calcium.value', 'egfr.unit']],
  ])('names the field of %s', (_story, input, fields) => {
    expect(labInputProblems(input).map((p) => p.field)).toEqual(fields);
    try {
      toConventional(input);
      throw new Error('expected a LabInputError');
    } catch (err) {
      expect(err).toBeInstanceOf(LabInputError);
      expect((err as LabInputError).problems.map((p) => p.field)).toEqual(fields);
    }
  });
});
