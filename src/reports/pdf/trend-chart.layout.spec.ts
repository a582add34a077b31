import { describe, expect, it } from '@jest/globals';
import type { TreatmentDto } from '../../treatments/dto/treatment.dto';
import { IDS, reportFixture } from '../testing/report-fixture';
import { CHART, layoutTrendChart, monthTicks, niceScale, spanLabel } from './trend-chart.layout';

const box = { x: 40, y: 100, width: 515 };
const day = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

describe('the trend chart layout', () => {
  it.each([
    [14.3, 5, { max: 15, step: 5 }],
    [9.9, 5, { max: 10, step: 2 }],
    [50.6, 5, { max: 60, step: 20 }],
    [0, 5, { max: 1, step: 0.2 }],
  ])('a size axis up to %p mm gets round ticks', (max, ticks, expected) => {
    expect(niceScale(max, ticks)).toEqual(expected);
  });

  it('labels months, thinning them to at most 7 over a long follow-up', () => {
    expect(monthTicks(day('2025-01-10'), day('2025-07-20')).map((t) => t.label)).toEqual(['2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07']);
    const years = monthTicks(day('2019-03-01'), day('2025-07-01'));
    expect(years.length).toBeLessThanOrEqual(7);
    expect(years.map((t) => t.label)).toEqual(['2020', '2021', '2022', '2023', '2024', '2025']);
  });

  it('R index pulp: one caliper series inside the plot, oldest left, with the baseline (10 mm) and nadir (9 mm) marked', () => {
    const report = reportFixture();
    const c = layoutTrendChart(report.deposits[0], report.treatments, box, '2025-08-01');
    expect(c.series).toHaveLength(1);
    const [s] = c.series;
    expect(s).toMatchObject({ methodClass: 'clinical', marker: 'circle', dash: null });
    expect(s.points.map((p) => [p.date, p.isBaseline, p.isNadir])).toEqual([
      ['2025-01-10', true, false],
      ['2025-04-12', false, true],
      ['2025-07-15', false, false],
    ]);
    for (const p of s.points) {
      expect(p.x).toBeGreaterThan(c.plot.left);
      expect(p.x).toBeLessThan(c.plot.right);
      expect(p.y).toBeGreaterThanOrEqual(c.plot.top);
      expect(p.y).toBeLessThanOrEqual(c.plot.bottom);
    }
    expect(s.points[0].x).toBeLessThan(s.points[1].x);
    expect(s.points[2].y).toBeLessThan(s.points[1].y); // 13 mm is drawn higher than 9 mm
    expect(c.references.map((r) => r.label)).toEqual(['baseline 10 mm\n2025-01-10', 'nadir 9 mm\n2025-04-12']);
  });

  it('L olecranon by X-ray, CT and ultrasound: two series told apart by marker and dash; baseline = nadir in the latest class', () => {
    const report = reportFixture();
    const c = layoutTrendChart(report.deposits[1], report.treatments, box, '2025-08-01');
    expect(c.series.map((s) => [s.methodClass, s.marker, s.dash !== null, s.points.length])).toEqual([
      ['radiographic', 'triangle', true, 2],
      ['ultrasound', 'square', true, 1],
    ]);
    expect(c.references.map((r) => r.label)).toEqual(['baseline = nadir\n12 mm, 2025-07-15']);
  });

  it('draws the deposit\'s and the patient-wide treatments as spans on the same time axis, arrowheads where they run beyond it', () => {
    const report = reportFixture();
    const c = layoutTrendChart(report.deposits[1], report.treatments, box, '2025-08-01');
    expect(c.spans.map((s) => [s.label, s.continuesBefore, s.continuesAfter])).toEqual([
      ['colchicine (tier 1): 2025-01-15 to ongoing', false, true],
      ['lithotripsy (tier 3): 2025-05-01 to 2025-06-01', false, false],
      ['watchful waiting (tier 0): 2024-06-01 to 2025-01-14', true, false],
    ]);
    const litho = c.spans[1];
    const ct = c.series[0].points[1]; // 2025-04-12
    const us = c.series[1].points[0]; // 2025-07-15
    expect(litho.x0).toBeGreaterThan(ct.x);
    expect(litho.x1).toBeLessThan(us.x);
    expect(litho.grey).toBeLessThan(c.spans[0].grey); // tier 3 darker than tier 1
    // the pulp chart leaves out the lithotripsy aimed at the elbow
    expect(layoutTrendChart(report.deposits[0], report.treatments, box, '2025-08-01').spans).toHaveLength(2);
  });

  it('grows by one lane per treatment, so its height is known before drawing', () => {
    const report = reportFixture();
    const without = layoutTrendChart(report.deposits[1], [], box, '2025-08-01');
    const withThree = layoutTrendChart(report.deposits[1], report.treatments, box, '2025-08-01');
    expect(withThree.height - without.height).toBeCloseTo(3 * CHART.laneHeight + CHART.lanesGap);
    expect(layoutTrendChart(report.deposits[1], report.treatments, { ...box, y: 500 }, '2025-08-01').height).toBeCloseTo(withThree.height);
  });

  it('shows at most 12 treatment lanes, the latest started, and counts the others as outside', () => {
    const report = reportFixture();
    const many: TreatmentDto[] = Array.from({ length: 15 }, (_, i) => ({ ...report.treatments[0], id: `t${i}`, startedOn: `2025-0${1 + Math.floor(i / 3)}-1${i % 3}`, endedOn: '2025-07-01' }));
    const c = layoutTrendChart(report.deposits[0], many, box, '2025-08-01');
    expect(c.spans).toHaveLength(CHART.maxLanes);
    expect(c.spansOutside).toBe(3);
    expect(c.spans[0].label).toContain(many[3].startedOn);
  });

  it('a single evaluation still gets an axis two months either side', () => {
    const report = reportFixture();
    const single = { ...report.deposits[0], evaluations: report.deposits[0].evaluations.slice(0, 1) };
    const c = layoutTrendChart(single, [], box, '2025-08-01');
    expect(c.series[0].points[0].x).toBeCloseTo((c.plot.left + c.plot.right) / 2, 0);
    expect(c.xTicks.length).toBeGreaterThan(1);
  });

  it('a treatment long over before the first evaluation is counted as outside the axis', () => {
    const report = reportFixture();
    const old: TreatmentDto = { ...report.treatments[0], id: 'old', kind: 'minocycline', startedOn: '2019-01-01', endedOn: '2019-06-01' };
    const c = layoutTrendChart(report.deposits[0], [old], box, '2025-08-01');
    expect(c.spans).toEqual([]);
    expect(c.spansOutside).toBe(1);
    expect(spanLabel({ ...old, endedOn: null, depositId: IDS.pulp, tier: null, kind: 'analgesic' }, '2025-08-01')).toBe('analgesic (supportive): 2019-01-01 to ?');
  });
});
