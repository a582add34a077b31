// The evidence of an alert at a glance: the values the rule compared, as the API recorded them.
// Known keys are labelled; nothing is computed here.
import { METHOD_LABELS } from '../../../labels';

type Evidence = Record<string, unknown>;

const num = (v: unknown) => (typeof v === 'number' ? v : null);
const str = (v: unknown) => (typeof v === 'string' ? v : null);

export function evidenceLine(e: Evidence): string | null {
  const parts: string[] = [];
  const ref = num(e.referenceMm);
  const cur = num(e.currentMm);
  const kind = str(e.referenceKind);
  if (ref !== null && cur !== null) {
    parts.push(`${kind ?? 'reference'} ${ref} mm${str(e.referenceDate) ? ` (${e.referenceDate})` : ''} → ${cur} mm${str(e.currentDate) ? ` (${e.currentDate})` : ''}`);
  }
  const changeMm = num(e.changeMm);
  const changePercent = num(e.changePercent);
  if (changeMm !== null) parts.push(`${changeMm > 0 ? '+' : ''}${changeMm} mm${changePercent !== null ? ` (${changePercent > 0 ? '+' : ''}${changePercent} %)` : ''}`);
  const from = num(e.painFrom);
  const to = num(e.painTo);
  if (from !== null && to !== null) parts.push(`pain ${from} → ${to}`);
  if (num(e.t) !== null) parts.push(`trend t = ${e.t}${num(e.slopeMmPerYear) !== null ? `, ${e.slopeMmPerYear} mm/year` : ''}`);
  if (num(e.correctedCalciumMgDl) !== null) parts.push(`corrected Ca ${e.correctedCalciumMgDl} mg/dL`);
  if (num(e.calciumPhosphateProduct) !== null) parts.push(`Ca×P ${e.calciumPhosphateProduct}`);
  if (str(e.lastEvaluatedOn)) parts.push(`last evaluated ${e.lastEvaluatedOn}${str(e.dueOn) ? `, due ${e.dueOn}` : ''}`);
  const method = str(e.currentMethod);
  if (method && method in METHOD_LABELS) parts.push(`by ${METHOD_LABELS[method as keyof typeof METHOD_LABELS].toLowerCase()}`);
  return parts.length ? parts.join('; ') : null;
}

const HIDDEN = new Set(['thresholds']);

/** A value as recorded: lists joined, a nested record as its summary line and then `key value` pairs (never raw JSON at the first level). */
export function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.map((v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : show(v))).join(', ');
  if (typeof value === 'object') {
    const pairs = Object.entries(value as Evidence).map(([k, v]) => `${k} ${v !== null && typeof v === 'object' ? JSON.stringify(v) : show(v)}`).join(', ');
    const line = evidenceLine(value as Evidence);
    return line ? `${line} (${pairs})` : pairs;
  }
  return String(value);
}

/** Every recorded value of the evidence, for the alert's own page. */
export function EvidenceTable({ evidence }: { evidence: Evidence }) {
  const entries = Object.entries(evidence).filter(([k]) => !HIDDEN.has(k));
  const thresholds = evidence.thresholds && typeof evidence.thresholds === 'object' ? Object.entries(evidence.thresholds as Evidence) : [];
  return (
    <dl className="evidence">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{show(v)}</dd>
        </div>
      ))}
      {thresholds.length > 0 && (
        <div>
          <dt>thresholds</dt>
          <dd>{thresholds.map(([k, v]) => `${k} ${show(v)}`).join(', ')}</dd>
        </div>
      )}
    </dl>
  );
}
