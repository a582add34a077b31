// Where everything of a deposit's trend chart goes, computed without a PDF: the time axis shared by
// the size series and the treatment spans, the size axis, the baseline and nadir marks, and the
// total height (measured before drawing, so a page break never splits a chart).

import { isRunningOn } from '../../change-detection/tiers';
import { methodClassOf, type MethodClass } from '../../change-detection/types';
import type { TreatmentDto } from '../../treatments/dto/treatment.dto';
import type { ReportDepositDto } from '../dto/patient-report.dto';
import { words } from '../report-labels';

export const CHART = {
  plotHeight: 150,
  leftGutter: 38,
  /** room for the baseline and nadir labels, right of the plot */
  rightGutter: 66,
  topPad: 12,
  xLabelHeight: 14,
  laneHeight: 18,
  /** at most this many treatment lanes (the latest started), so a chart always fits on a page */
  maxLanes: 12,
  lanesGap: 6,
  legendLineHeight: 11,
  legendLines: 3,
  bottomPad: 6,
} as const;

export type Marker = 'circle' | 'square' | 'triangle';

/** One look per method class, told apart by marker and line pattern (not colour), so it prints in black and white. */
export const SERIES_STYLES: Readonly<Record<MethodClass, { label: string; marker: Marker; dash: [number, number] | null }>> = {
  clinical: { label: 'palpation / caliper / photo', marker: 'circle', dash: null },
  ultrasound: { label: 'ultrasound', marker: 'square', dash: [5, 3] },
  radiographic: { label: 'X-ray / CT / MRI', marker: 'triangle', dash: [1.5, 2] },
};

export const REFERENCE_DASH = { baseline: [8, 3] as [number, number], nadir: [2, 2] as [number, number] };

export interface ChartPoint {
  x: number;
  y: number;
  date: string;
  mm: number;
  isBaseline: boolean;
  isNadir: boolean;
}

export interface ChartSeries {
  methodClass: MethodClass;
  label: string;
  marker: Marker;
  dash: [number, number] | null;
  points: ChartPoint[];
}

export interface ReferenceLine {
  y: number;
  label: string;
  dash: [number, number];
}

export interface TreatmentSpan {
  label: string;
  x0: number;
  x1: number;
  /** top of the bar */
  y: number;
  continuesBefore: boolean;
  continuesAfter: boolean;
  /** fill grey level, 1 = white; darker for higher tiers */
  grey: number;
}

export interface TrendChartLayout {
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
  series: ChartSeries[];
  references: ReferenceLine[];
  spans: TreatmentSpan[];
  legendTop: number;
  /** treatments of the deposit that fall outside the time axis (they are in the treatment table) */
  spansOutside: number;
}

const DAY_MS = 86_400_000;
const dayOf = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** 0, 5, 10, 15 …: a step of 1, 2, 2.5 or 5 × 10^k giving at most `maxTicks` intervals. */
export function niceScale(maxValue: number, maxTicks = 5): { max: number; step: number } {
  const target = maxValue > 0 ? maxValue : 1;
  const raw = target / maxTicks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  return { max: Math.ceil(target / step - 1e-9) * step, step };
}

/** First days of months across the range, every 1, 2, 3, 6, 12, 24 or 60 months: at most `maxTicks`. */
export function monthTicks(fromDay: number, toDay: number, maxTicks = 7): { day: number; label: string }[] {
  const from = new Date(fromDay * DAY_MS);
  const to = new Date(toDay * DAY_MS);
  const months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth()) + 1;
  const step = [1, 2, 3, 6, 12, 24, 60].find((s) => months / s <= maxTicks) ?? 120;
  const ticks: { day: number; label: string }[] = [];
  const start = from.getUTCFullYear() * 12 + from.getUTCMonth();
  for (let m = Math.ceil(start / step) * step; ; m += step) {
    const day = Date.UTC(Math.floor(m / 12), m % 12, 1) / DAY_MS;
    if (day > toDay) break;
    if (day >= fromDay) ticks.push({ day, label: dateOf(day).slice(0, step >= 12 ? 4 : 7) });
  }
  return ticks;
}

function formatMm(mm: number): string {
  return String(Math.round(mm * 10) / 10);
}

/** Patient-wide treatments and those aimed at this deposit. */
export function treatmentsOf(depositId: string, treatments: TreatmentDto[]): TreatmentDto[] {
  return treatments.filter((t) => t.depositId === null || t.depositId === depositId);
}

export function spanLabel(t: TreatmentDto, today: string): string {
  const tier = t.tier === null ? 'supportive' : `tier ${t.tier}`;
  const until = t.endedOn ?? (isRunningOn(t, today) ? 'ongoing' : '?');
  return `${words(t.kind)} (${tier}): ${t.startedOn} to ${until}`;
}

/**
 * The layout of a deposit's chart at (x, y), `width` wide. `today` ends the spans of treatments
 * still running. Baseline and nadir are the deposit course's (the latest method class).
 */
export function layoutTrendChart(deposit: ReportDepositDto, treatments: TreatmentDto[], box: { x: number; y: number; width: number }, today: string): TrendChartLayout {
  const evaluations = deposit.evaluations;
  const own = treatmentsOf(deposit.id, treatments);
  const evalDays = evaluations.map((e) => dayOf(e.visitDate));
  const todayDay = dayOf(today);
  const firstDay = evalDays.length ? Math.min(...evalDays) : todayDay;
  // a treatment started after the last evaluation (an escalation) still shows on the axis
  const lastDay = Math.max(evalDays.length ? Math.max(...evalDays) : todayDay, ...own.map((t) => Math.min(dayOf(t.startedOn), todayDay)));
  const pad = Math.max(20, (lastDay - firstDay) * 0.05);
  const [fromDay, toDay] = lastDay - firstDay < 30 ? [firstDay - 60, lastDay + 60] : [firstDay - pad, lastDay + pad];

  const visible = own.filter((t) => dayOf(t.startedOn) <= toDay && (t.endedOn === null ? todayDay : dayOf(t.endedOn)) >= fromDay).slice(-CHART.maxLanes);
  const plot = {
    left: box.x + CHART.leftGutter,
    top: box.y + CHART.topPad,
    right: box.x + box.width - CHART.rightGutter,
    bottom: box.y + CHART.topPad + CHART.plotHeight,
  };
  const xOf = (day: number) => plot.left + ((day - fromDay) / (toDay - fromDay)) * (plot.right - plot.left);
  const { max: yMax, step: yStep } = niceScale(Math.max(0, ...evaluations.map((e) => e.longestDiameterMm)) * 1.1);
  const yOf = (mm: number) => plot.bottom - (mm / yMax) * (plot.bottom - plot.top);

  const classes = [...new Set(evaluations.map((e) => methodClassOf(e.method)))];
  const series: ChartSeries[] = classes.map((methodClass) => ({
    methodClass,
    ...SERIES_STYLES[methodClass],
    points: evaluations
      .filter((e) => methodClassOf(e.method) === methodClass)
      .map((e) => ({
        x: xOf(dayOf(e.visitDate)),
        y: yOf(e.longestDiameterMm),
        date: e.visitDate,
        mm: e.longestDiameterMm,
        isBaseline: deposit.baseline?.id === e.id,
        isNadir: deposit.nadir?.id === e.id,
      })),
  }));

  const references: ReferenceLine[] = [];
  const { baseline, nadir } = deposit;
  if (baseline && nadir && baseline.id === nadir.id) {
    references.push({ y: yOf(baseline.longestDiameterMm), label: `baseline = nadir\n${formatMm(baseline.longestDiameterMm)} mm, ${baseline.visitDate}`, dash: REFERENCE_DASH.baseline });
  } else {
    if (baseline) references.push({ y: yOf(baseline.longestDiameterMm), label: `baseline ${formatMm(baseline.longestDiameterMm)} mm\n${baseline.visitDate}`, dash: REFERENCE_DASH.baseline });
    if (nadir) references.push({ y: yOf(nadir.longestDiameterMm), label: `nadir ${formatMm(nadir.longestDiameterMm)} mm\n${nadir.visitDate}`, dash: REFERENCE_DASH.nadir });
  }

  const lanesTop = plot.bottom + CHART.xLabelHeight + (visible.length ? CHART.lanesGap : 0);
  const spans: TreatmentSpan[] = visible.map((t, i) => {
    const start = dayOf(t.startedOn);
    const end = t.endedOn === null ? todayDay : dayOf(t.endedOn);
    const x0 = xOf(Math.max(start, fromDay));
    return {
      label: spanLabel(t, today),
      x0,
      x1: Math.max(x0 + 3, xOf(Math.min(end, toDay))),
      y: lanesTop + i * CHART.laneHeight,
      continuesBefore: start < fromDay,
      continuesAfter: end > toDay || t.endedOn === null,
      grey: t.tier === null ? 1 : [0.85, 0.7, 0.55, 0.4, 0.25][t.tier] ?? 0.5,
    };
  });
  const legendTop = lanesTop + visible.length * CHART.laneHeight + 4;
  const height = legendTop + CHART.legendLines * CHART.legendLineHeight + CHART.bottomPad - box.y;

  const yTicks: { y: number; label: string }[] = [];
  for (let v = 0; v <= yMax + 1e-9; v += yStep) yTicks.push({ y: yOf(v), label: formatMm(v) });
  const xTicks = monthTicks(fromDay, toDay).map((t) => ({ x: xOf(t.day), label: t.label }));

  return { height, plot, xTicks, yTicks, series, references, spans, legendTop, spansOutside: own.length - visible.length };
}
