import type { Alert, Deposit } from '../../../api/types';
import { SeverityIcon } from '../../../components/Severity';
import { depositName, RULE_LABELS, SEVERITY_LABELS } from '../../../labels';
import { BACK_OFFSET, FIGURE_PATHS, FIGURE_WIDTH, MAP_HEIGHT, MAP_WIDTH, pointsOf, spread } from './body-map-geometry';

export interface BodyMapProps {
  deposits: Pick<Deposit, 'id' | 'label' | 'site' | 'laterality' | 'status'>[];
  /** each deposit's most severe undecided alert (the API lists them most severe first) */
  worstAlert: (depositId: string) => Pick<Alert, 'severity' | 'rule'> | null;
  onSelect: (depositId: string) => void;
  selectedId?: string | null;
}

export function markerName(deposit: BodyMapProps['deposits'][number], worst: Pick<Alert, 'severity' | 'rule'> | null): string {
  // the marker's visible word (High, None) is part of its name
  const alert = worst ? `worst open alert ${SEVERITY_LABELS[worst.severity]}: ${RULE_LABELS[worst.rule]}` : 'open alerts: None';
  return `${depositName(deposit)}, ${alert}`;
}

function Figure({ x }: { x: number }) {
  return (
    <g transform={`translate(${x} 0)`} className="figure">
      {FIGURE_PATHS.map((d) => (
        <path key={d} d={d} />
      ))}
    </g>
  );
}

/**
 * Front and back outline with a marker per deposit at its site and side. A marker shows the
 * deposit's worst open alert by shape and word; selecting it takes the reader to that deposit.
 */
export function BodyMap({ deposits, worstAlert, onSelect, selectedId }: BodyMapProps) {
  const placed = deposits.flatMap((d) => (pointsOf(d.site, d.laterality) ?? []).map((point, i) => ({ key: `${d.id}:${i}`, deposit: d, point, mirror: i > 0 })));
  const positions = spread(placed.map(({ key, point }) => ({ key, point })));
  const elsewhere = deposits.filter((d) => pointsOf(d.site, d.laterality) === null);

  const marker = (d: BodyMapProps['deposits'][number], key: string, style?: { left: string; top: string }, mirror = false) => {
    const worst = worstAlert(d.id);
    const severity = worst?.severity ?? 'none';
    return (
      <button
        key={key}
        type="button"
        className={`map-marker map-marker--${severity}${selectedId === d.id ? ' map-marker--selected' : ''}${d.status !== 'active' ? ' map-marker--inactive' : ''}`}
        style={style}
        aria-label={markerName(d, worst)}
        // the second marker of a deposit on both sides repeats the first: one stop for keyboards and screen readers
        tabIndex={mirror ? -1 : undefined}
        aria-hidden={mirror ? true : undefined}
        title={markerName(d, worst)}
        onClick={() => onSelect(d.id)}
      >
        <SeverityIcon severity={severity} size={14} />
        <span className="map-marker-text" aria-hidden="true">
          {worst ? SEVERITY_LABELS[worst.severity] : 'None'}
        </span>
      </button>
    );
  };

  return (
    <figure className="body-map">
      <div className="body-map-canvas">
        <svg viewBox={`0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`} aria-hidden="true" focusable="false">
          <Figure x={0} />
          <Figure x={BACK_OFFSET} />
          <text x={FIGURE_WIDTH / 2} y={MAP_HEIGHT - 8} textAnchor="middle" className="map-caption">
            Front
          </text>
          <text x={BACK_OFFSET + FIGURE_WIDTH / 2} y={MAP_HEIGHT - 8} textAnchor="middle" className="map-caption">
            Back
          </text>
          <text x={6} y={14} className="map-side">R</text>
          <text x={FIGURE_WIDTH - 14} y={14} className="map-side">L</text>
          <text x={BACK_OFFSET + 6} y={14} className="map-side">L</text>
          <text x={BACK_OFFSET + FIGURE_WIDTH - 14} y={14} className="map-side">R</text>
        </svg>
        {placed.map(({ key, deposit, mirror }) => {
          const p = positions.get(key)!;
          return marker(deposit, key, { left: `${(p.x / MAP_WIDTH) * 100}%`, top: `${(p.y / MAP_HEIGHT) * 100}%` }, mirror);
        })}
      </div>
      {elsewhere.length > 0 && (
        <div className="map-elsewhere">
          <span>Other sites:</span> {elsewhere.map((d) => marker(d, d.id))}
        </div>
      )}
      <figcaption>
        Body map, front and back (R and L: the patient’s right and left). Each marker shows the deposit’s worst open alert by shape and word:{' '}
        <span className="legend-inline">
          <SeverityIcon severity="urgent" size={12} /> Urgent, <SeverityIcon severity="high" size={12} /> High, <SeverityIcon severity="warning" size={12} /> Warning,{' '}
          <SeverityIcon severity="info" size={12} /> Info, <SeverityIcon severity="none" size={12} /> None.
        </span>
      </figcaption>
    </figure>
  );
}
