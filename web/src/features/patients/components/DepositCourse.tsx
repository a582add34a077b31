import { forwardRef, lazy, Suspense, useState } from 'react';
import type { Alert, DepositDetail, Evaluation, Treatment } from '../../../api/types';
import { DEPTH_LABELS, depositName, DRAINAGE_LABELS, MARGIN_LABELS, METHOD_CLASS_LABELS, METHOD_LABELS, mm, SHAPE_LABELS } from '../../../labels';
import { Change } from './change';
import { TrendChart } from './TrendChart';

// the correction form loads on first use (most visits to the page only read)
const AmendEvaluation = lazy(() => import('../../visits/components/AmendEvaluation').then((m) => ({ default: m.AmendEvaluation })));

function signs(e: Evaluation): string {
  const list = [e.ulcerated && 'ulcerated', e.infectionSigns && 'infection signs', e.inflammation && 'inflammation', e.nerveCompression && 'nerve compression'].filter(Boolean);
  if (e.drainage !== 'none') list.push(`${DRAINAGE_LABELS[e.drainage].toLowerCase()} drainage`);
  return list.join(', ') || 'none';
}

function size(e: Evaluation): string {
  return [e.longestDiameterMm, e.perpendicularDiameterMm, e.depthMm].filter((v) => v !== null).join(' × ') + ' mm';
}

/** One deposit: its course in numbers (from the API), its trend chart and every evaluation. */
export const DepositCourse = forwardRef<HTMLHeadingElement, { deposit: DepositDetail; treatments: Treatment[]; alerts: Alert[]; selected: boolean; canAmend?: boolean }>(
  function DepositCourse({ deposit: d, treatments, alerts, selected, canAmend = false }, ref) {
    const headingId = `deposit-${d.id}`;
    const [amending, setAmending] = useState<string | null>(null);
    const amended = d.evaluations.find((e) => e.id === amending);
    return (
      <section className={`deposit-course${selected ? ' deposit-course--selected' : ''}`} aria-labelledby={headingId}>
        <h3 id={headingId} ref={ref} tabIndex={-1}>
          {depositName(d)}
        </h3>
        <p className="sub">
          {DEPTH_LABELS[d.depth]}, noted {d.notedOn}
          {d.siteDetail ? `, ${d.siteDetail}` : ''}
          {d.priorProcedureSite ? ', at a prior procedure site' : ''}
        </p>
        <dl className="facts">
          <div>
            <dt>Latest</dt>
            <dd>{d.latest ? `${mm(d.latest.longestDiameterMm)} (${d.latest.visitDate})` : '—'}</dd>
          </div>
          <div>
            <dt>Baseline</dt>
            <dd>{d.baseline ? `${mm(d.baseline.longestDiameterMm)} (${d.baseline.visitDate})` : '—'}</dd>
          </div>
          <div>
            <dt>Nadir</dt>
            <dd>{d.nadir ? `${mm(d.nadir.longestDiameterMm)} (${d.nadir.visitDate})` : '—'}</dd>
          </div>
          <div>
            <dt>Since baseline</dt>
            <dd>
              <Change change={d.changeSinceBaseline} />
            </dd>
          </div>
          <div>
            <dt>Since nadir</dt>
            <dd>
              <Change change={d.changeSinceNadir} />
            </dd>
          </div>
          {d.methodClass && (
            <div>
              <dt>Compared within</dt>
              <dd>{METHOD_CLASS_LABELS[d.methodClass as Evaluation['methodClass']]}</dd>
            </div>
          )}
        </dl>
        <TrendChart deposit={d} treatments={treatments} alerts={alerts} />
        <details className="evaluations">
          <summary>Every evaluation of {d.label} ({d.evaluations.length})</summary>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Evaluations of {d.label}</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Method</th>
                  <th scope="col">Size</th>
                  <th scope="col">Shape, margin</th>
                  <th scope="col">Signs</th>
                  <th scope="col">Pain</th>
                  {canAmend && (
                    <th scope="col">
                      <span className="visually-hidden">Correction</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {[...d.evaluations].reverse().map((e) => (
                  <tr key={e.id}>
                    <td>
                      {e.visitDate}
                      {e.version > 1 && <span className="sub">amended (v{e.version})</span>}
                    </td>
                    <td>{METHOD_LABELS[e.method]}</td>
                    <td>{size(e)}</td>
                    <td>{[e.shape && SHAPE_LABELS[e.shape], e.margin && MARGIN_LABELS[e.margin]].filter(Boolean).join(', ') || '—'}</td>
                    <td>{signs(e)}</td>
                    <td>{e.painScore ?? '—'}</td>
                    {canAmend && (
                      <td>
                        <button type="button" aria-label={`Correct the evaluation of ${e.visitDate}`} aria-expanded={amending === e.id} onClick={() => setAmending(amending === e.id ? null : e.id)}>
                          Correct…
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {amended && (
            <Suspense fallback={<p>Loading the form…</p>}>
              <AmendEvaluation key={amended.id} evaluation={amended} depositLabel={d.label} onClose={() => setAmending(null)} />
            </Suspense>
          )}
        </details>
      </section>
    );
  },
);
