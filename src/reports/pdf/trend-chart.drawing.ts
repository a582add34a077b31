import { grey, type PdfPage } from './pdf-page';
import { CHART, REFERENCE_DASH, type Marker, type TrendChartLayout } from './trend-chart.layout';

const INK = '#000000';

function marker(page: PdfPage, kind: Marker, x: number, y: number): void {
  const doc = page.doc;
  doc.undash().lineWidth(0.8).strokeColor(INK);
  if (kind === 'circle') doc.circle(x, y, 2.6).fillAndStroke(INK, INK);
  else if (kind === 'square') doc.rect(x - 2.6, y - 2.6, 5.2, 5.2).fillAndStroke('#ffffff', INK);
  else doc.polygon([x, y - 3.2], [x + 3, y + 2.4], [x - 3, y + 2.4]).fillAndStroke(INK, INK);
}

function line(page: PdfPage, x0: number, y0: number, x1: number, y1: number, opts: { width?: number; dash?: [number, number] | null; level?: number } = {}): void {
  const doc = page.doc;
  doc.lineWidth(opts.width ?? 0.5).strokeColor(grey(opts.level ?? 0));
  if (opts.dash) doc.dash(opts.dash[0], { space: opts.dash[1] });
  else doc.undash();
  doc.moveTo(x0, y0).lineTo(x1, y1).stroke();
  doc.undash();
}

function arrowhead(page: PdfPage, x: number, y: number, pointing: 'left' | 'right'): void {
  const d = pointing === 'left' ? -1 : 1;
  page.doc.undash().polygon([x + 4 * d, y], [x, y - 3.5], [x, y + 3.5]).fill(INK);
}

function axes(page: PdfPage, c: TrendChartLayout): void {
  const { plot } = c;
  for (const t of c.yTicks) {
    line(page, plot.left, t.y, plot.right, t.y, { width: 0.25, level: 0.8 });
    page.at(t.label, plot.left - CHART.leftGutter, t.y - 3, { size: 7 }, { width: CHART.leftGutter - 4, align: 'right' });
  }
  for (const t of c.xTicks) {
    line(page, t.x, plot.top, t.x, plot.bottom, { width: 0.25, level: 0.88 });
    line(page, t.x, plot.bottom, t.x, plot.bottom + 3, { width: 0.5 });
    page.at(t.label, t.x - 20, plot.bottom + 4, { size: 7 }, { width: 40, align: 'center' });
  }
  page.at('mm', plot.left - CHART.leftGutter, plot.top - CHART.topPad + 1, { size: 7, font: 'bold' });
  line(page, plot.left, plot.top, plot.left, plot.bottom, { width: 0.8 });
  line(page, plot.left, plot.bottom, plot.right, plot.bottom, { width: 0.8 });
}

function references(page: PdfPage, c: TrendChartLayout): void {
  let lastBottom = Number.NEGATIVE_INFINITY;
  // labels in the right gutter, top to bottom, never overlapping: "baseline 10 mm" over its date
  const placed = [...c.references].sort((a, b) => a.y - b.y);
  for (const r of placed) {
    line(page, c.plot.left, r.y, c.plot.right + 3, r.y, { width: 0.7, dash: r.dash, level: 0.35 });
    const top = Math.max(r.y - 7, lastBottom + 1);
    page.at(r.label, c.plot.right + 5, top, { size: 6.5, grey: 0.15 }, { width: CHART.rightGutter - 6 });
    lastBottom = top + page.measure(r.label, CHART.rightGutter - 6, { size: 6.5 });
  }
}

function series(page: PdfPage, c: TrendChartLayout): void {
  const doc = page.doc;
  for (const s of c.series) {
    if (s.points.length > 1) {
      doc.lineWidth(1.1).strokeColor(INK);
      if (s.dash) doc.dash(s.dash[0], { space: s.dash[1] });
      else doc.undash();
      doc.moveTo(s.points[0].x, s.points[0].y);
      for (const p of s.points.slice(1)) doc.lineTo(p.x, p.y);
      doc.stroke();
      doc.undash();
    }
    for (const p of s.points) {
      marker(page, s.marker, p.x, p.y);
      const tag = [p.isBaseline ? 'B' : '', p.isNadir ? 'N' : ''].filter(Boolean).join('/');
      if (tag) {
        doc.undash().lineWidth(0.6).strokeColor(INK).circle(p.x, p.y, 5.5).stroke();
        page.at(tag, p.x - 10, p.y + 6, { size: 6.5, font: 'bold' }, { width: 20, align: 'center' });
      }
    }
  }
}

function spans(page: PdfPage, c: TrendChartLayout): void {
  const doc = page.doc;
  if (c.spans.length) page.at('Treat-\nments', c.plot.left - CHART.leftGutter, c.spans[0].y - 1, { size: 6.5, font: 'bold' }, { width: CHART.leftGutter - 4 });
  for (const s of c.spans) {
    doc.undash().lineWidth(0.5).rect(s.x0, s.y, s.x1 - s.x0, 6).fillAndStroke(grey(s.grey), INK);
    if (s.continuesBefore) arrowhead(page, s.x0 - 0.5, s.y + 3, 'left');
    if (s.continuesAfter) arrowhead(page, s.x1 + 0.5, s.y + 3, 'right');
    const width = page.textWidth(s.label, { size: 6.5 });
    const x = Math.max(c.plot.left, Math.min(s.x0, c.plot.right - width));
    page.at(s.label, x, s.y + 7.5, { size: 6.5 });
  }
}

function legend(page: PdfPage, c: TrendChartLayout): void {
  const y0 = c.legendTop;
  let x = c.plot.left;
  const sample = (dash: [number, number] | null, m: Marker | null, label: string, y: number) => {
    line(page, x, y + 3.5, x + 22, y + 3.5, { width: m ? 1.1 : 0.7, dash, level: m ? 0 : 0.35 });
    if (m) marker(page, m, x + 11, y + 3.5);
    page.at(label, x + 26, y, { size: 7 });
    x += 26 + page.textWidth(label, { size: 7 }) + 12;
  };
  page.at('Longest diameter by:', x, y0, { size: 7, font: 'bold' });
  x += page.textWidth('Longest diameter by:', { size: 7, font: 'bold' }) + 6;
  for (const s of c.series) sample(s.dash, s.marker, s.label, y0);
  const y1 = y0 + CHART.legendLineHeight;
  x = c.plot.left;
  sample(REFERENCE_DASH.baseline, null, 'baseline', y1);
  sample(REFERENCE_DASH.nadir, null, 'nadir (both in the latest method class; ringed B / N on the series)', y1);
  const y2 = y1 + CHART.legendLineHeight;
  const outside = c.spansOutside ? ` ${c.spansOutside} other treatment(s) fall outside this period: see the treatment table.` : '';
  page.at(
    `Bars: treatments on the same time axis, darker = higher tier (white = supportive); arrowheads: started before the axis, or still running / ending after it. Series differ by marker shape and line pattern, not by colour.${outside}`,
    c.plot.left,
    y2,
    { size: 6.5, grey: 0.25 },
    { width: c.plot.right - c.plot.left },
  );
}

/** Draws a laid-out chart: vector paths only, greys only. */
export function drawTrendChart(page: PdfPage, c: TrendChartLayout): void {
  page.doc.save();
  axes(page, c);
  references(page, c);
  series(page, c);
  spans(page, c);
  legend(page, c);
  page.doc.restore();
}
