// A severity is never told by colour alone: each has its own shape and its word.
import type { Severity } from '../api/types';
import { SEVERITY_LABELS } from '../labels';

const SHAPES: Record<Severity, string> = {
  // circle, triangle, diamond, octagon
  info: 'M8 1.5a6.5 6.5 0 1 1 0 13a6.5 6.5 0 1 1 0-13z',
  warning: 'M8 1.2 15 14.5H1z',
  high: 'M8 .8 15.2 8 8 15.2 .8 8z',
  urgent: 'M5.2 1h5.6L15 5.2v5.6L10.8 15H5.2L1 10.8V5.2z',
};

/** The bare shape, for drawing inside another SVG (a chart). */
export function SeverityShape({ severity }: { severity: Severity | 'none' }) {
  return severity === 'none' ? <circle cx="8" cy="8" r="5.5" className="severity-none" /> : <path d={SHAPES[severity]} />;
}

export function SeverityIcon({ severity, size = 16 }: { severity: Severity | 'none'; size?: number }) {
  return (
    <svg className={`severity-icon severity-icon--${severity}`} width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <SeverityShape severity={severity} />
    </svg>
  );
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span className={`severity severity--${severity}`}>
      <SeverityIcon severity={severity} />
      {SEVERITY_LABELS[severity]}
    </span>
  );
}
