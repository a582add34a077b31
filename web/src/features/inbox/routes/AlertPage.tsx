import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useParams } from 'react-router';
import { ApiError, messageOf } from '../../../api/errors';
import type { AlertDetail, Decision } from '../../../api/types';
import { useUser } from '../../../auth/AuthProvider';
import { can } from '../../../auth/roles';
import { FieldGroup, TextAreaField } from '../../../components/fields';
import { applyApiErrors, errorAt } from '../../../components/form-errors';
import { ErrorMessage, Loading, Page } from '../../../components/Page';
import { SeverityBadge } from '../../../components/Severity';
import { DECISION_LABELS, formatDateTime, RULE_LABELS, STATUS_LABELS } from '../../../labels';
import { useDepositDetail, usePatient, usePatientAlerts, useTreatments } from '../../patients/api';
import { TrendChart } from '../../patients/components/TrendChart';
import { useAlert, useAlertDecision, type AlertWithTag } from '../api';
import { EvidenceTable } from '../components/EvidenceSummary';

function Decided({ alert }: { alert: AlertDetail }) {
  return (
    <dl className="facts">
      <div>
        <dt>Status</dt>
        <dd>{STATUS_LABELS[alert.status]}</dd>
      </div>
      {alert.acknowledgedAt && (
        <div>
          <dt>Acknowledged</dt>
          <dd>
            {formatDateTime(alert.acknowledgedAt)} by {alert.acknowledgedByName ?? 'a former user'}
          </dd>
        </div>
      )}
      {alert.status === 'resolved' && (
        <>
          <div>
            <dt>Decision</dt>
            <dd>{alert.decision ? DECISION_LABELS[alert.decision] : '—'}</dd>
          </div>
          <div>
            <dt>Decided</dt>
            <dd>
              {formatDateTime(alert.resolvedAt)} by {alert.resolvedByName ?? 'a former user'}
            </dd>
          </div>
          <div>
            <dt>Note</dt>
            <dd>{alert.note ?? '—'}</dd>
          </div>
        </>
      )}
    </dl>
  );
}

interface ResolveValues {
  decision: Decision | '';
  note: string;
}

function DecisionForms({ current, setError, setDone }: { current: AlertWithTag; setError: (message: string | null) => void; setDone: (message: string) => void }) {
  const alert = current.alert;
  const decide = useAlertDecision(alert.id);
  const form = useForm<ResolveValues>({ defaultValues: { decision: '', note: '' } });

  const explain = (err: unknown) => {
    if (err instanceof ApiError && err.status === 412) return 'Someone else changed this alert while you were reading it. Its new state is shown above; review it before deciding.';
    if (err instanceof ApiError && err.status === 409) return `${messageOf(err)}. Its current state is shown above.`;
    return messageOf(err);
  };

  const acknowledge = async () => {
    setError(null);
    try {
      await decide.mutateAsync({ kind: 'acknowledge', etag: current.etag });
      setDone('Acknowledged.');
    } catch (err) {
      setError(explain(err));
    }
  };

  const resolve = async (v: ResolveValues) => {
    setError(null);
    try {
      await decide.mutateAsync({ kind: 'resolve', etag: current.etag, decision: v.decision as Decision, note: v.note });
      setDone('Resolved.');
    } catch (err) {
      applyApiErrors(err, form.setError, (f) => (f === 'decision' || f === 'note' ? f : null));
      setError(explain(err));
    }
  };

  return (
    <section className="card" aria-labelledby="decide-heading">
      <h2 id="decide-heading">Decide</h2>
      {alert.status === 'open' && (
        <p>
          <button type="button" onClick={() => void acknowledge()} disabled={decide.isPending}>
            Acknowledge
          </button>{' '}
          <span className="hint">Optional: shows colleagues you are on it.</span>
        </p>
      )}
      <form className="form narrow" noValidate onSubmit={form.handleSubmit(resolve)} aria-label="Resolve the alert">
        <FieldGroup legend="Decision" error={errorAt(form.formState.errors, 'decision')} className="radio-row">
          {(Object.keys(DECISION_LABELS) as Decision[]).map((d) => (
            <div className="field field--checkbox" key={d}>
              <input
                type="radio"
                id={`decision-${d}`}
                value={d}
                aria-invalid={errorAt(form.formState.errors, 'decision') ? true : undefined}
                {...form.register('decision')}
              />
              <label htmlFor={`decision-${d}`}>{DECISION_LABELS[d]}</label>
            </div>
          ))}
        </FieldGroup>
        <TextAreaField label="Note" hint="Your reasoning; required when dismissing" error={errorAt(form.formState.errors, 'note')} {...form.register('note')} />
        <button type="submit" className="primary" disabled={decide.isPending}>
          Resolve
        </button>
      </form>
    </section>
  );
}

export function AlertPage() {
  const { alertId = '' } = useParams();
  const user = useUser();
  const query = useAlert(alertId);
  const alert = query.data?.alert;
  const patient = usePatient(alert?.patientId ?? '');
  const deposit = useDepositDetail(alert?.depositId ?? null);
  const treatments = useTreatments(alert?.patientId ?? '', !!alert && can.recordClinicalData(user.role));
  const patientAlerts = usePatientAlerts(alert?.patientId ?? '');
  // outside the decision form: after a 412 the alert may be resolved and the form gone
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState('');

  if (query.isPending) return <Loading what="the alert" />;
  if (query.isError || !alert) {
    return (
      <Page title="Alert">
        <ErrorMessage error={messageOf(query.error)} />
      </Page>
    );
  }

  return (
    <Page
      title={`${RULE_LABELS[alert.rule]}${patient.data ? `: ${patient.data.name}` : ''}`}
      subtitle={
        <p>
          <SeverityBadge severity={alert.severity} /> {STATUS_LABELS[alert.status]} · raised {formatDateTime(alert.createdAt)}
          {patient.data && (
            <>
              {' · '}
              <Link to={`/patients/${alert.patientId}`}>
                {patient.data.name} (MRN {patient.data.mrn})
              </Link>
            </>
          )}
          {deposit.data ? ` · ${deposit.data.label}` : ''}
        </p>
      }
    >
      <section className="card" aria-labelledby="message-heading">
        <ErrorMessage error={error} />
        <p role="status" className="done">
          {done}
        </p>
        <h2 id="message-heading">What changed</h2>
        <p className="alert-message">{alert.message}</p>
        <p>
          <strong>Suggested:</strong> {alert.suggestedAction.text}
        </p>
        <Decided alert={alert} />
      </section>
      {can.decideAlerts(user.role) && alert.status !== 'resolved' && <DecisionForms current={query.data} setError={setError} setDone={setDone} />}
      {deposit.data && (
        <section className="card" aria-labelledby="trend-heading">
          <h2 id="trend-heading">Trend of {deposit.data.label}</h2>
          <TrendChart deposit={deposit.data} treatments={treatments.data ?? []} alerts={(patientAlerts.data ?? []).filter((a) => a.depositId === deposit.data.id)} />
        </section>
      )}
      <section className="card" aria-labelledby="evidence-heading">
        <h2 id="evidence-heading">Evidence</h2>
        <EvidenceTable evidence={alert.evidence} />
        <h3>Evidence history</h3>
        {alert.evidenceHistory.length === 0 ? (
          <p>No earlier evidence: the alert has not been updated since it was raised.</p>
        ) : (
          <ol className="evidence-history">
            {alert.evidenceHistory.map((h) => (
              <li key={h.at}>
                <p>
                  <SeverityBadge severity={h.severity} /> until {formatDateTime(h.at)} (settings version {h.settingsVersion}): {h.message}
                </p>
                <details>
                  <summary>Values</summary>
                  <EvidenceTable evidence={h.evidence} />
                </details>
              </li>
            ))}
          </ol>
        )}
        <p className="hint">Raised under rule-settings version {alert.settingsVersion}.</p>
      </section>
    </Page>
  );
}
