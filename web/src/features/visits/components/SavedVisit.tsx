import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import type { VisitCreated } from '../../../api/types';
import { SeverityBadge } from '../../../components/Severity';
import { RULE_LABELS } from '../../../labels';

/** What the saved visit did: its evaluations, and the alerts it raised or escalated (from the API's answer). */
export function SavedVisit({ visit, patientId, onAnother }: { visit: VisitCreated; patientId: string; onAnother: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card saved-visit" aria-labelledby="saved-heading">
      <h2 id="saved-heading" ref={heading} tabIndex={-1}>
        Visit of {visit.visitDate} saved
      </h2>
      <p>
        {visit.evaluations.length} evaluation{visit.evaluations.length === 1 ? '' : 's'} stored
        {visit.newDepositIds.length ? `, ${visit.newDepositIds.length} new deposit${visit.newDepositIds.length === 1 ? '' : 's'}` : ''}
        {visit.labs ? ', with labs' : ''}.
      </p>
      <h3>Alerts raised or escalated by this visit</h3>
      {visit.alerts.length === 0 ? (
        <p>None: nothing in this visit met a rule.</p>
      ) : (
        <ul className="alert-list">
          {visit.alerts.map((a) => (
            <li key={a.id}>
              <SeverityBadge severity={a.severity} /> <Link to={`/alerts/${a.id}`}>{RULE_LABELS[a.rule]}</Link> {a.version === 1 ? '(new)' : '(updated)'}: {a.message}
            </li>
          ))}
        </ul>
      )}
      <div className="form-actions">
        <Link className="button primary" to={`/patients/${patientId}`}>
          View the patient
        </Link>
        <button type="button" onClick={onAnother}>
          Log another visit
        </button>
      </div>
    </section>
  );
}
