import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../../api/client';
import { messageOf, unwrap } from '../../../api/errors';
import { SelectField, TextField } from '../../../components/fields';
import { ErrorMessage, Loading, Page } from '../../../components/Page';
import { formatDateTime, OUTCOME_LABELS, ROLE_LABELS } from '../../../labels';
import { useAuditEvents, useUsers, type AuditFilter } from '../api';

/** The audit trail with its filters (patient, actor, days); the filters live in the address. */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const filter: AuditFilter = { patientId: params.get('patientId') ?? '', actorId: params.get('actorId') ?? '', from: params.get('from') ?? '', to: params.get('to') ?? '' };
  const users = useUsers();
  const events = useAuditEvents(filter);
  const [mrn, setMrn] = useState('');
  const [mrnError, setMrnError] = useState<string | undefined>();
  const [actor, setActor] = useState(filter.actorId);
  const [from, setFrom] = useState(filter.from);
  const [to, setTo] = useState(filter.to);
  const names = new Map((users.data ?? []).map((u) => [u.id, u.name]));
  const rows = events.data?.pages.flatMap((p) => p.items) ?? [];

  const apply = async (e: FormEvent) => {
    e.preventDefault();
    setMrnError(undefined);
    let patientId = filter.patientId;
    if (mrn.trim()) {
      // the trail is filtered by patient id: find the patient with exactly this MRN
      const found = unwrap(await api.GET('/api/v1/patients', { params: { query: { search: mrn.trim(), limit: 50 } } })).items.find((p) => p.mrn.toLowerCase() === mrn.trim().toLowerCase());
      if (!found) {
        setMrnError(`No patient has the MRN ${mrn.trim()}`);
        return;
      }
      patientId = found.id;
    }
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries({ patientId, actorId: actor, from, to })) if (v) next.set(k, v);
    setParams(next);
  };

  return (
    <Page title="Audit trail">
      <form className="filters" noValidate onSubmit={(e) => void apply(e)} aria-label="Filter the audit trail">
        <TextField label="Patient MRN" value={mrn} onChange={(e) => setMrn(e.target.value)} error={mrnError} hint={filter.patientId ? `Filtered by patient ${filter.patientId}` : undefined} />
        <SelectField label="Who acted" blank="Anyone" options={(users.data ?? []).map((u) => ({ value: u.id, label: `${u.name} (${ROLE_LABELS[u.role]})` }))} value={actor} onChange={(e) => setActor(e.target.value)} />
        <TextField label="From (day, UTC)" type="date" value={from} onChange={(e) => setFrom(e.target.value)} error={errorFor(events.error, 'from')} />
        <TextField label="To (day, UTC)" type="date" value={to} onChange={(e) => setTo(e.target.value)} error={errorFor(events.error, 'to')} />
        <div className="form-actions">
          <button type="submit" className="primary">
            Apply filters
          </button>
          {[...params.keys()].length > 0 && (
            <Link to="/admin/audit" onClick={() => { setMrn(''); setActor(''); setFrom(''); setTo(''); }}>
              Clear filters
            </Link>
          )}
        </div>
      </form>
      {events.isPending && <Loading what="audit events" />}
      <ErrorMessage error={events.error ? messageOf(events.error) : null} />
      {events.isSuccess && (
        <p role="status" className="result-count">
          {rows.length === 0 ? 'No events match.' : `${rows.length}${events.hasNextPage ? '+' : ''} events, newest first`}
        </p>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="audit-table">
            <caption className="visually-hidden">Audit events</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Record</th>
                <th scope="col">Outcome</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((ev) => (
                <tr key={ev.id}>
                  <td>{formatDateTime(ev.occurredAt)}</td>
                  <td>{ev.actorId ? (names.get(ev.actorId) ?? ev.actorId) : 'anonymous'}{ev.actorRole ? ` (${ev.actorRole})` : ''}</td>
                  <td>{ev.action}</td>
                  <td>
                    {ev.recordType ?? '—'}
                    {ev.patientId && (
                      <>
                        {' · '}
                        <Link to={`/patients/${ev.patientId}`}>patient</Link>
                      </>
                    )}
                  </td>
                  <td>
                    {OUTCOME_LABELS[ev.outcome]}
                    {ev.statusCode !== null ? ` (${ev.statusCode})` : ''}
                  </td>
                  <td>{ev.clientIp ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {events.hasNextPage && (
        <button type="button" onClick={() => void events.fetchNextPage()} disabled={events.isFetchingNextPage}>
          Show older events
        </button>
      )}
    </Page>
  );
}

function errorFor(err: unknown, field: string): string | undefined {
  const details = (err as { details?: { field: string; messages: string[] }[] } | null)?.details;
  return details?.find((d) => d.field === field)?.messages.join('; ');
}
