import { Link, useSearchParams } from 'react-router';
import { messageOf } from '../../../api/errors';
import type { RuleCode, Severity } from '../../../api/types';
import { useUser } from '../../../auth/AuthProvider';
import { can } from '../../../auth/roles';
import { CheckboxField, FieldGroup, SelectField } from '../../../components/fields';
import { ErrorMessage, Loading, Page } from '../../../components/Page';
import { SeverityBadge } from '../../../components/Severity';
import { formatDate, optionsOf, RULE_LABELS, SEVERITIES, SEVERITY_LABELS, STATUS_LABELS } from '../../../labels';
import { useInbox, type InboxFilter } from '../api';
import { evidenceLine } from '../components/EvidenceSummary';

const STATUS_OPTIONS = [
  { value: '', label: 'Waiting for a decision (open or acknowledged)' },
  { value: 'open', label: 'Open' },
  { value: 'acknowledged', label: 'Acknowledged' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'open,acknowledged,resolved', label: 'All' },
];

/** The inbox, most severe first (the API's order), filtered by the page's address so a filter can be shared and survives a reload. */
export function InboxPage({ title }: { title: string }) {
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const filter: InboxFilter = {
    status: params.get('status') ?? '',
    severity: params.get('severity') ?? '',
    rule: (params.get('rule') ?? '') as RuleCode | '',
    mine: params.get('mine') === 'true',
  };
  const severities = filter.severity ? filter.severity.split(',') : [];
  const inbox = useInbox(filter);
  const alerts = inbox.data?.pages.flatMap((p) => p.items) ?? [];

  const update = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const toggleSeverity = (s: Severity, on: boolean) => {
    const list = SEVERITIES.filter((x) => (x === s ? on : severities.includes(x))).reverse();
    update('severity', list.join(','));
  };

  return (
    <Page title={title}>
      <form className="filters" aria-label="Filter alerts" noValidate onSubmit={(e) => e.preventDefault()}>
        <SelectField label="Status" options={STATUS_OPTIONS} value={filter.status} onChange={(e) => update('status', e.target.value)} />
        <FieldGroup legend="Severity" className="checkbox-row">
          {[...SEVERITIES].reverse().map((s) => (
            <CheckboxField key={s} label={SEVERITY_LABELS[s]} checked={severities.includes(s)} onChange={(e) => toggleSeverity(s, e.target.checked)} />
          ))}
        </FieldGroup>
        <SelectField label="Rule" blank="Any rule" options={optionsOf(RULE_LABELS)} value={filter.rule} onChange={(e) => update('rule', e.target.value)} />
        {can.decideAlerts(user.role) && (
          <CheckboxField label="Only my patients" checked={filter.mine} onChange={(e) => update('mine', e.target.checked ? 'true' : null)} />
        )}
      </form>
      {inbox.isPending && <Loading what="alerts" />}
      <ErrorMessage error={inbox.error ? messageOf(inbox.error) : null} />
      {inbox.isSuccess && (
        <p role="status" className="result-count">
          {alerts.length === 0 ? 'No alerts match these filters.' : `${alerts.length}${inbox.hasNextPage ? '+' : ''} alert${alerts.length === 1 ? '' : 's'}, most severe first`}
        </p>
      )}
      <ol className="inbox" aria-label="Alerts">
        {alerts.map((a) => {
          const evidence = evidenceLine(a.evidence);
          return (
            <li key={a.id} className={`inbox-item inbox-item--${a.severity}`}>
              <div className="inbox-meta">
                <SeverityBadge severity={a.severity} />
                <span className="status">{STATUS_LABELS[a.status]}</span>
                <span className="date">raised {formatDate(a.createdAt)}</span>
              </div>
              <h2 className="inbox-title">
                <Link to={`/alerts/${a.id}`}>
                  {RULE_LABELS[a.rule]}: {a.patientName}
                  {a.depositLabel ? `, ${a.depositLabel}` : ''}
                </Link>
              </h2>
              <p className="inbox-who">
                <Link to={`/patients/${a.patientId}`}>
                  {a.patientName} (MRN {a.patientMrn})
                </Link>
                {' · '}
                {a.depositLabel ?? 'patient-level'}
              </p>
              <p className="inbox-message">{a.message}</p>
              {evidence && <p className="inbox-evidence">Evidence: {evidence}</p>}
            </li>
          );
        })}
      </ol>
      {inbox.hasNextPage && (
        <button type="button" onClick={() => void inbox.fetchNextPage()} disabled={inbox.isFetchingNextPage}>
          {inbox.isFetchingNextPage ? 'Loading…' : 'Show more alerts'}
        </button>
      )}
    </Page>
  );
}
