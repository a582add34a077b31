import { formatChange } from '../../change-detection/format';
import { currentTier, describeTier } from '../../change-detection/tiers';
import type { MethodClass } from '../../change-detection/types';
import { SEVERITY_RANK } from '../../alerts/alert.entity';
import type { EvaluationDto } from '../../visits/dto/evaluation.dto';
import type { PatientReportDto, ReportAlertDto, ReportDepositDto } from '../dto/patient-report.dto';
import { courseAsOfEach } from '../course-as-of';
import { capitalised, conditionLabel, words } from '../report-labels';
import type { PdfPage } from './pdf-page';
import { drawTable, type TableColumn } from './pdf-table';
import { drawTrendChart } from './trend-chart.drawing';
import { layoutTrendChart, SERIES_STYLES } from './trend-chart.layout';

const num = (value: number | null | undefined, decimals = 1): string => (value === null || value === undefined ? '' : String(Math.round(value * 10 ** decimals) / 10 ** decimals));
const dateOf = (value: Date | string | null): string => (value === null ? '' : new Date(value).toISOString().slice(0, 10));

function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

function sectionTitle(page: PdfPage, title: string, keepWith: number): void {
  page.ensure(22 + keepWith);
  page.space(6);
  page.paragraph(title, { font: 'bold', size: 13 }, { gap: 4 });
  page.doc.moveTo(page.left, page.y).lineTo(page.left + page.width, page.y).lineWidth(0.8).strokeColor('#000000').undash().stroke();
  page.space(5);
}

export function patientHeader(page: PdfPage, report: PatientReportDto): void {
  const p = report.patient;
  const today = report.generatedAt.slice(0, 10);
  page.paragraph('Calcinosis follow-up report', { font: 'bold', size: 17 }, { gap: 1 });
  page.paragraph(`Generated ${report.generatedAt.slice(0, 16).replace('T', ' ')} UTC by Calcitrack. Decision support: every alert is a proposal for the physician, never a change of treatment.`, {
    size: 8,
    grey: 0.3,
  }, { gap: 8 });

  const rows: [string, string][] = [
    ['Patient', p.name],
    ['MRN', p.mrn],
    ['Birth date', `${p.birthDate} (age ${ageOn(p.birthDate, today)})`],
    ['Sex', p.sex],
    ['Conditions', p.conditions.length ? p.conditions.map(conditionLabel).join('; ') : 'none recorded'],
    ['Calcinosis type', p.calcinosisType],
    ['Family history', p.familyHistory ? 'yes' : 'no'],
  ];
  const tier = currentTier(report.treatments, today, null);
  rows.push(['Current tier', tier.since ? `${describeTier(tier.tier)} since ${tier.since}` : `${describeTier(tier.tier)} (no treatment running)`]);
  const evaluations = report.deposits.reduce((n, d) => n + d.evaluations.length, 0);
  const waiting = report.alerts.filter((a) => a.status !== 'resolved').length;
  rows.push([
    'Record',
    `${report.deposits.length} deposit(s), ${report.deposits.filter((d) => d.status === 'active').length} active; ${evaluations} evaluation(s) at ${report.visits.length} visit(s); ${report.labs.length} lab result(s); ${report.treatments.length} treatment(s); ${report.alerts.length} alert(s), ${waiting} awaiting a decision`,
  ]);
  const labelWidth = 90;
  for (const [label, value] of rows) {
    const height = page.measure(value, page.width - labelWidth, { size: 10 });
    page.ensure(height);
    const y = page.y;
    page.at(label, page.left, y, { font: 'bold', size: 10 });
    page.paragraph(value, { size: 10 }, { x: page.left + labelWidth, gap: 2 });
    page.y = Math.max(page.y, y + height + 2);
  }
}

function depositLine(d: ReportDepositDto): string {
  const where = d.siteDetail ? `${words(d.site)} (${d.siteDetail})` : words(d.site);
  const parts = [where, words(d.laterality), words(d.depth), ...(d.pattern ? [words(d.pattern)] : [])];
  return `${parts.join(', ')}. Detected by ${words(d.detectedBy)}, noted ${d.notedOn}; ${d.status}${d.priorProcedureSite ? '; at the site of an earlier procedure' : ''}.`;
}

function courseLine(d: ReportDepositDto): string {
  const { latest, baseline, nadir, changeSinceBaseline, changeSinceNadir, methodClass } = d;
  if (!latest || !baseline || !nadir || !changeSinceBaseline || !changeSinceNadir || !methodClass) return 'Not evaluated yet.';
  return (
    `Latest ${num(latest.longestDiameterMm)} mm by ${words(latest.method)} on ${latest.visitDate}; ` +
    `baseline ${num(baseline.longestDiameterMm)} mm (${baseline.visitDate}), nadir ${num(nadir.longestDiameterMm)} mm (${nadir.visitDate}). ` +
    `Change since baseline ${formatChange(changeSinceBaseline.mm, changeSinceBaseline.percent)}; since nadir ${formatChange(changeSinceNadir.mm, changeSinceNadir.percent)} ` +
    `(compared within ${SERIES_STYLES[methodClass as MethodClass].label} measurements).`
  );
}

function signsOf(e: EvaluationDto): string {
  const signs = [e.ulcerated && 'ulcerated', e.infectionSigns && 'infection', e.inflammation && 'inflamed', e.nerveCompression && 'nerve compr.'].filter(Boolean);
  return signs.join(', ');
}

const EVALUATION_COLUMNS: TableColumn[] = [
  { header: 'Date', width: 50 },
  { header: 'Method', width: 44 },
  { header: 'Longest\nmm', width: 34, align: 'right' },
  { header: 'Perp.\nmm', width: 30, align: 'right' },
  { header: 'Depth\nmm', width: 30, align: 'right' },
  { header: 'Area\nmm²', width: 38, align: 'right' },
  { header: 'Volume\nmm³', width: 42, align: 'right' },
  { header: 'Shape /\nmargin', width: 58 },
  { header: 'Signs', width: 56 },
  { header: 'Drain-\nage', width: 36 },
  { header: 'Pain\n0-10', width: 22, align: 'right' },
  { header: 'vs nadir\n(at the time)', width: 60, align: 'right' },
  { header: 'v.', width: 15, align: 'right' },
];

function evaluationRows(d: ReportDepositDto): string[][] {
  const courses = courseAsOfEach(d.evaluations);
  return d.evaluations.map((e, i) => {
    const asOf = courses[i];
    // the change since the nadir as it stood that day; the first of a method class is its own baseline
    const change = asOf.baseline?.id === e.id ? 'baseline' : asOf.nadir?.id === e.id ? 'new nadir' : asOf.changeSinceNadir ? formatChange(asOf.changeSinceNadir.mm, asOf.changeSinceNadir.percent) : '';
    return [
      e.visitDate,
      words(e.method),
      num(e.longestDiameterMm),
      num(e.perpendicularDiameterMm),
      num(e.depthMm),
      num(e.areaMm2, 0),
      num(e.volumeMm3, 0),
      [e.shape, e.margin].filter(Boolean).join(', '),
      signsOf(e),
      e.drainage === 'none' ? '' : e.drainage,
      num(e.painScore, 0),
      change,
      e.version > 1 ? `${e.version}*` : String(e.version),
    ];
  });
}

export function depositSection(page: PdfPage, report: PatientReportDto, d: ReportDepositDto, index: number): void {
  const today = report.generatedAt.slice(0, 10);
  const title = `${index + 1}. ${d.label}`;
  const line = depositLine(d);
  const course = courseLine(d);
  const chartHeight = d.evaluations.length ? layoutTrendChart(d, report.treatments, { x: page.left, y: 0, width: page.width }, today).height : 0;
  // heading, description and chart stay together: a page break never splits a chart
  const blockHeight = 8 + page.measure(title, page.width, { font: 'bold', size: 12 }) + page.measure(line, page.width, { size: 9 }) + page.measure(course, page.width, { size: 9 }) + 10 + chartHeight;
  page.ensure(blockHeight);
  page.space(8);
  page.paragraph(title, { font: 'bold', size: 12 }, { gap: 2 });
  page.paragraph(line, { size: 9 }, { gap: 2 });
  page.paragraph(course, { size: 9, font: d.latest ? 'regular' : 'italic' }, { gap: 6 });
  if (!d.evaluations.length) return;

  const layout = layoutTrendChart(d, report.treatments, { x: page.left, y: page.y, width: page.width }, today);
  drawTrendChart(page, layout);
  page.y += layout.height + 4;

  drawTable(page, EVALUATION_COLUMNS, evaluationRows(d));
  // under the table: why an evaluation was corrected, and the free-text notes
  const footnotes = d.evaluations.flatMap((e) => {
    const lines: string[] = [];
    if (e.version > 1) lines.push(`* ${e.visitDate}: corrected to version ${e.version} - ${d.amendments.find((v) => v.id === e.id && v.version === e.version)?.reason ?? 'no reason recorded'}`);
    if (e.notes) lines.push(`Note ${e.visitDate}: ${e.notes}`);
    return lines;
  });
  for (const text of footnotes) {
    page.ensure(Math.min(page.measure(text, page.width, { size: 7.5, font: 'italic' }), 40));
    page.paragraph(text, { size: 7.5, font: 'italic' }, { gap: 1 });
  }
}

export function depositsSection(page: PdfPage, report: PatientReportDto): void {
  sectionTitle(page, 'Deposits', 60);
  if (!report.deposits.length) page.paragraph('No deposit recorded.', { font: 'italic' });
  report.deposits.forEach((d, i) => depositSection(page, report, d, i));
}

export function treatmentsSection(page: PdfPage, report: PatientReportDto): void {
  sectionTitle(page, 'Treatments', 30);
  if (!report.treatments.length) {
    page.paragraph('No treatment recorded.', { font: 'italic' });
    return;
  }
  const labels = new Map(report.deposits.map((d) => [d.id, d.label]));
  drawTable(
    page,
    [
      { header: 'Treatment', width: 100 },
      { header: 'Tier', width: 75 },
      { header: 'Target', width: 70 },
      { header: 'Started', width: 50 },
      { header: 'Ended', width: 50 },
      { header: 'Dose / route', width: 90 },
      { header: 'Outcome', width: 80 },
    ],
    report.treatments.map((t) => [
      capitalised(words(t.kind)),
      t.tier === null ? 'supportive' : describeTier(t.tier),
      t.depositId ? (labels.get(t.depositId) ?? 'deposit') : 'patient-wide',
      t.startedOn,
      t.endedOn ?? 'ongoing',
      [t.dose, t.route].filter(Boolean).join('; '),
      t.outcome ?? '',
    ]),
  );
}

export function labsSection(page: PdfPage, report: PatientReportDto): void {
  sectionTitle(page, 'Labs (conventional units)', 30);
  if (!report.labs.length) {
    page.paragraph('No lab result recorded.', { font: 'italic' });
    return;
  }
  drawTable(
    page,
    [
      { header: 'Collected', width: 55 },
      { header: 'Calcium\nmg/dL', width: 50, align: 'right' },
      { header: 'Albumin\ng/dL', width: 50, align: 'right' },
      { header: 'Corrected Ca\nmg/dL', width: 58, align: 'right' },
      { header: 'Phosphate\nmg/dL', width: 54, align: 'right' },
      { header: 'Ca × P\nmg²/dL²', width: 52, align: 'right' },
      { header: 'PTH\npg/mL', width: 48, align: 'right' },
      { header: '25-OH vit. D\nng/mL', width: 56, align: 'right' },
      { header: 'eGFR\nmL/min/1.73 m²', width: 70, align: 'right' },
    ],
    report.labs.map((l) => [
      l.collectedOn,
      num(l.calciumMgDl, 2),
      num(l.albuminGDl, 2),
      num(l.correctedCalciumMgDl, 2),
      num(l.phosphateMgDl, 2),
      num(l.calciumPhosphateProduct, 1),
      num(l.pthPgMl, 1),
      num(l.vitaminDNgMl, 1),
      num(l.egfrMlMin173m2, 0),
    ]),
  );
}

function alertLines(a: ReportAlertDto, labels: Map<string, string>): { text: string; bold?: boolean; italic?: boolean }[] {
  const target = a.depositId ? (labels.get(a.depositId) ?? 'deposit') : 'patient';
  const lines: { text: string; bold?: boolean; italic?: boolean }[] = [
    { text: `[${a.severity.toUpperCase()}] ${a.rule} - ${target}`, bold: true },
    { text: `Raised ${dateOf(a.createdAt)}${a.updatedAt && dateOf(a.updatedAt) !== dateOf(a.createdAt) ? `, last updated ${dateOf(a.updatedAt)}` : ''}; status ${a.status}${a.acknowledgedAt ? ` (acknowledged ${dateOf(a.acknowledgedAt)})` : ''}.` },
    { text: a.message },
    { text: `Suggested action: ${a.suggestedAction.text || describeTier(a.suggestedAction.suggestedTier)}` },
  ];
  if (a.status === 'resolved') {
    const who = a.resolvedByName ?? (a.decision ? 'a physician' : 'the system');
    lines.push({ text: `Decision: ${a.decision ?? 'resolved'} by ${who} on ${dateOf(a.resolvedAt)}${a.note ? `. Note: ${a.note}` : '.'}`, bold: true });
  }
  return lines;
}

function alertBlock(page: PdfPage, a: ReportAlertDto, labels: Map<string, string>): void {
  const lines = alertLines(a, labels);
  const style = (l: { bold?: boolean; italic?: boolean }) => ({ size: 9, font: l.bold ? ('bold' as const) : l.italic ? ('italic' as const) : ('regular' as const) });
  const height = lines.reduce((h, l) => h + page.measure(l.text, page.width - 10, style(l)) + 1, 0) + 6;
  page.ensure(height);
  const top = page.y;
  for (const l of lines) page.paragraph(l.text, style(l), { x: page.left + 8, gap: 1 });
  page.doc.undash().lineWidth(a.status === 'resolved' ? 0.6 : 1.6).strokeColor('#000000').moveTo(page.left + 2, top).lineTo(page.left + 2, page.y).stroke();
  page.space(6);
}

export function alertsSection(page: PdfPage, report: PatientReportDto): void {
  sectionTitle(page, 'Alerts and decisions', 40);
  const labels = new Map(report.deposits.map((d) => [d.id, d.label]));
  // like the inbox: the most severe first, then the oldest
  const waiting = report.alerts.filter((a) => a.status !== 'resolved').sort((x, y) => SEVERITY_RANK[y.severity] - SEVERITY_RANK[x.severity]);
  const decided = report.alerts.filter((a) => a.status === 'resolved');
  if (!report.alerts.length) page.paragraph('No alert raised.', { font: 'italic' });
  for (const [title, alerts] of [
    [`Awaiting a decision (${waiting.length})`, waiting],
    [`Decided (${decided.length})`, decided],
  ] as const) {
    if (!alerts.length) continue;
    page.ensure(60);
    page.paragraph(title, { font: 'bold', size: 10 }, { gap: 4 });
    for (const a of alerts) alertBlock(page, a, labels);
  }
}

