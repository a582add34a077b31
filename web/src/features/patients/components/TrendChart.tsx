import { Group } from '@visx/group';
import { scaleLinear, scaleTime } from '@visx/scale';
import { LinePath } from '@visx/shape';
import type { Alert, DepositDetail, Evaluation, Treatment } from '../../../api/types';
import { SeverityIcon, SeverityShape } from '../../../components/Severity';
import { METHOD_CLASS_LABELS, RULE_LABELS, SEVERITY_LABELS, TREATMENT_KIND_LABELS } from '../../../labels';

type MethodClass = Evaluation['methodClass'];

const WIDTH = 640;
const MARGIN = { top: 34, right: 20, bottom: 34, left: 48 };
const PLOT_HEIGHT = 170;
const LANE = 18;

const CLASS_STYLE: Record<MethodClass, { dash?: string; glyph: 'circle' | 'square' | 'triangle' }> = {
  clinical: { glyph: 'circle' },
  ultrasound: { dash: '6 4', glyph: 'square' },
  radiographic: { dash: '2 3', glyph: 'triangle' },
};

const day = (iso: string) => new Date(`${iso.slice(0, 10)}T00:00:00Z`);

function Glyph({ kind, x, y, size = 5 }: { kind: 'circle' | 'square' | 'triangle'; x: number; y: number; size?: number }) {
  if (kind === 'circle') return <circle cx={x} cy={y} r={size} />;
  if (kind === 'square') return <rect x={x - size} y={y - size} width={size * 2} height={size * 2} />;
  return <path d={`M${x} ${y - size - 1}L${x + size + 1} ${y + size}H${x - size - 1}Z`} />;
}

/** When an alert is placed on the time axis: the date of the evaluation it is about, else when it was raised. */
function alertDate(a: Alert): string {
  const current = (a.evidence as { currentDate?: unknown }).currentDate;
  return typeof current === 'string' ? current : a.createdAt.slice(0, 10);
}

export interface TrendChartProps {
  deposit: DepositDetail;
  /** the patient's treatments: patient-wide ones and those aimed at this deposit are drawn */
  treatments: Treatment[];
  /** this deposit's alerts, decided ones too */
  alerts: Alert[];
  today?: string;
}

/**
 * Size over time per method class (sizes are compared only within one), the baseline and nadir the
 * API named, treatments as spans on the same time axis, alerts as markers. Every figure is the
 * API's; the chart only places them.
 */
export function TrendChart({ deposit, treatments, alerts, today = new Date().toISOString().slice(0, 10) }: TrendChartProps) {
  const evaluations = deposit.evaluations;
  const spans = treatments.filter((t) => t.depositId === null || t.depositId === deposit.id);
  const height = MARGIN.top + PLOT_HEIGHT + MARGIN.bottom + spans.length * LANE + (spans.length ? 8 : 0);
  const innerWidth = WIDTH - MARGIN.left - MARGIN.right;

  const dates = [...evaluations.map((e) => e.visitDate), ...alerts.map(alertDate), ...spans.map((t) => t.startedOn)].map(day);
  const first = dates.length ? new Date(Math.min(...dates.map(Number))) : day(today);
  const lastEvidence = dates.length ? new Date(Math.max(...dates.map(Number))) : day(today);
  const last = spans.some((t) => t.endedOn === null || day(t.endedOn) > lastEvidence) ? new Date(Math.max(Number(lastEvidence), Number(day(today)))) : lastEvidence;
  const pad = Math.max((Number(last) - Number(first)) * 0.04, 15 * 86_400_000);
  const x = scaleTime({ domain: [new Date(Number(first) - pad), new Date(Number(last) + pad)], range: [0, innerWidth] });
  const maxSize = Math.max(1, ...evaluations.map((e) => e.longestDiameterMm));
  const y = scaleLinear({ domain: [0, maxSize * 1.2], range: [PLOT_HEIGHT, 0], nice: true });

  const classes = (['clinical', 'ultrasound', 'radiographic'] as MethodClass[]).filter((c) => evaluations.some((e) => e.methodClass === c));
  const baselineId = deposit.baseline?.id;
  const nadirId = deposit.nadir?.id;
  const px = (e: Evaluation) => x(day(e.visitDate));
  const py = (e: Evaluation) => y(e.longestDiameterMm);
  const summary = evaluations.length
    ? `Longest diameter of ${deposit.label} over time: ${evaluations.length} evaluation${evaluations.length === 1 ? '' : 's'} from ${evaluations[0].visitDate} to ${evaluations.at(-1)!.visitDate}` +
      (deposit.latest ? `, latest ${deposit.latest.longestDiameterMm} mm` : '') +
      (deposit.nadir ? `, nadir ${deposit.nadir.longestDiameterMm} mm on ${deposit.nadir.visitDate}` : '') +
      `; ${spans.length} treatment${spans.length === 1 ? '' : 's'} and ${alerts.length} alert${alerts.length === 1 ? '' : 's'} on the same time axis.`
    : `${deposit.label} has no evaluation yet.`;

  return (
    <figure className="trend-chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={summary}>
        <Group left={MARGIN.left} top={MARGIN.top}>
          {/* alerts: a marker above the plot and a line down to the time they are about */}
          {alerts.map((a, i) => {
            const ax = x(day(alertDate(a)));
            // alerts about the same day stand side by side
            const sameDay = alerts.slice(0, i).filter((b) => alertDate(b) === alertDate(a)).length;
            return (
              <g key={a.id} className={`chart-alert chart-alert--${a.status}`}>
                <line x1={ax} x2={ax} y1={-6} y2={PLOT_HEIGHT} />
                <g transform={`translate(${ax - 7 + sameDay * 15} ${-26})`}>
                  <SeverityIconPath severity={a.severity} />
                </g>
              </g>
            );
          })}
          <g className="chart-axis">
            <line x1={0} x2={0} y1={0} y2={PLOT_HEIGHT} />
            {y.ticks(5).map((v) => (
              <g key={v} transform={`translate(0 ${y(v)})`}>
                <line x1={-5} x2={0} />
                <line x1={0} x2={innerWidth} className="chart-grid" />
                <text x={-8} dy="0.32em" textAnchor="end">
                  {v}
                </text>
              </g>
            ))}
            <text x={-MARGIN.left + 4} y={-12} className="chart-unit">
              mm
            </text>
          </g>
          <g className="chart-axis" transform={`translate(0 ${PLOT_HEIGHT})`}>
            <line x1={0} x2={innerWidth} />
            {x.ticks(6).map((d) => (
              <g key={d.toISOString()} transform={`translate(${x(d)} 0)`}>
                <line y1={0} y2={5} />
                <text y={17} textAnchor="middle">
                  {d.toISOString().slice(0, 7)}
                </text>
              </g>
            ))}
          </g>
          {classes.map((c) => {
            const points = evaluations.filter((e) => e.methodClass === c);
            return (
              <g key={c} className={`chart-series chart-series--${c}`}>
                <LinePath data={points} x={px} y={py} strokeDasharray={CLASS_STYLE[c].dash} />
                {points.map((e) => (
                  <Glyph key={e.id} kind={CLASS_STYLE[c].glyph} x={px(e)} y={py(e)} />
                ))}
              </g>
            );
          })}
          {evaluations
            .filter((e) => e.id === baselineId || e.id === nadirId)
            .map((e) => (
              <g key={`ref-${e.id}`} className="chart-reference">
                <circle cx={px(e)} cy={py(e)} r={10} />
                <text x={px(e)} y={py(e) - 15} textAnchor="middle">
                  {e.id === baselineId && e.id === nadirId ? 'Baseline, nadir' : e.id === baselineId ? 'Baseline' : 'Nadir'}
                </text>
              </g>
            ))}
          {spans.map((t, i) => {
            const start = Math.max(0, x(day(t.startedOn)));
            const end = Math.min(innerWidth, x(t.endedOn ? day(t.endedOn) : new Date(Math.max(Number(day(today)), Number(last)))));
            const top = PLOT_HEIGHT + MARGIN.bottom + 4 + i * LANE;
            return (
              <g key={t.id} className="chart-treatment">
                <rect x={start} y={top} width={Math.max(2, end - start)} height={LANE - 4} />
                <text x={Math.min(start + 4, innerWidth - 4)} y={top + LANE - 8}>
                  {TREATMENT_KIND_LABELS[t.kind]}
                  {t.tier !== null ? ` (tier ${t.tier})` : ''}
                  {t.endedOn ? '' : ', ongoing'}
                </text>
              </g>
            );
          })}
        </Group>
      </svg>
      <figcaption className="chart-legend">
        {classes.map((c) => (
          <span key={c} className={`legend-item chart-series--${c}`}>
            <svg width="26" height="12" aria-hidden="true">
              <line x1="1" x2="25" y1="6" y2="6" strokeDasharray={CLASS_STYLE[c].dash} />
              <Glyph kind={CLASS_STYLE[c].glyph} x={13} y={6} size={4} />
            </svg>
            {METHOD_CLASS_LABELS[c]}
          </span>
        ))}
        <span className="legend-item">
          <svg width="16" height="16" aria-hidden="true" className="chart-reference">
            <circle cx="8" cy="8" r="6" />
          </svg>
          Baseline and nadir (of the latest method class)
        </span>
        {spans.length > 0 && (
          <span className="legend-item">
            <svg width="18" height="12" aria-hidden="true" className="chart-treatment">
              <rect x="1" y="2" width="16" height="8" />
            </svg>
            Treatments
          </span>
        )}
        {alerts.length > 0 && (
          <span className="legend-item">
            Alerts:{' '}
            {alerts.map((a) => (
              <span key={a.id} className="legend-alert">
                <SeverityIcon severity={a.severity} size={12} /> {SEVERITY_LABELS[a.severity]} {RULE_LABELS[a.rule].toLowerCase()} ({alertDate(a)}
                {a.status === 'resolved' ? ', decided' : ''})
              </span>
            ))}
          </span>
        )}
      </figcaption>
    </figure>
  );
}

/** The severity shapes inside the chart's own SVG. */
function SeverityIconPath({ severity }: { severity: Alert['severity'] }) {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" className={`severity-icon severity-icon--${severity}`} aria-hidden="true">
      <SeverityShape severity={severity} />
    </svg>
  );
}
