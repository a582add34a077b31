import type { Evaluation } from '../../../api/types';
import { DRAINAGE_LABELS, MARGIN_LABELS, METHOD_LABELS, MOBILITY_LABELS, SHAPE_LABELS } from '../../../labels';

/** The deposit's last evaluation, beside the new fields. */
export function PreviousValues({ evaluation: e }: { evaluation: Evaluation | null }) {
  if (!e) return <p className="previous">No earlier evaluation.</p>;
  const signs = [e.ulcerated && 'ulcerated', e.infectionSigns && 'infection signs', e.inflammation && 'inflammation', e.nerveCompression && 'nerve compression'].filter(Boolean);
  return (
    <dl className="previous">
      <div>
        <dt>Previous</dt>
        <dd>
          {e.visitDate}, {METHOD_LABELS[e.method]}
        </dd>
      </div>
      <div>
        <dt>Size</dt>
        <dd>{[e.longestDiameterMm, e.perpendicularDiameterMm, e.depthMm].filter((v) => v !== null).join(' × ')} mm</dd>
      </div>
      <div>
        <dt>Shape, margin</dt>
        <dd>{[e.shape && SHAPE_LABELS[e.shape], e.margin && MARGIN_LABELS[e.margin]].filter(Boolean).join(', ') || '—'}</dd>
      </div>
      <div>
        <dt>Mobility</dt>
        <dd>{e.mobility ? MOBILITY_LABELS[e.mobility] : '—'}</dd>
      </div>
      <div>
        <dt>Signs</dt>
        <dd>{signs.join(', ') || 'none'}</dd>
      </div>
      <div>
        <dt>Drainage</dt>
        <dd>{DRAINAGE_LABELS[e.drainage]}</dd>
      </div>
      <div>
        <dt>Pain</dt>
        <dd>{e.painScore ?? '—'}</dd>
      </div>
      {e.position && (
        <div>
          <dt>Position</dt>
          <dd>
            {e.position.landmark}
            {e.position.xMm !== null || e.position.yMm !== null ? ` (${e.position.xMm ?? '—'}, ${e.position.yMm ?? '—'} mm)` : ''}
          </dd>
        </div>
      )}
    </dl>
  );
}
