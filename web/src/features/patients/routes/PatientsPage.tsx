import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { messageOf } from '../../../api/errors';
import { ErrorMessage, Loading, Page } from '../../../components/Page';
import { CALCINOSIS_TYPE_LABELS, CONDITION_LABELS } from '../../../labels';
import { usePatientSearch } from '../api';

export function PatientsPage() {
  const [params, setParams] = useSearchParams();
  const search = params.get('search') ?? '';
  const [text, setText] = useState(search);
  const patients = usePatientSearch(search);
  const rows = patients.data?.pages.flatMap((p) => p.items) ?? [];

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setParams(text.trim() ? { search: text.trim() } : {});
  };

  return (
    <Page
      title="Patients"
      actions={
        <Link className="button" to="/patients/new">
          Register a patient
        </Link>
      }
    >
      <form className="search-form" role="search" noValidate onSubmit={onSubmit}>
        <div className="field">
          <label htmlFor="patient-search">Search by MRN or name</label>
          <input id="patient-search" type="search" value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <button type="submit">Search</button>
      </form>
      {patients.isPending && <Loading what="patients" />}
      <ErrorMessage error={patients.error ? messageOf(patients.error) : null} />
      {patients.isSuccess && (
        <>
          <p role="status" className="result-count">
            {rows.length === 0 ? (search ? `No patient matches “${search}”.` : 'No patients yet.') : `${rows.length}${patients.hasNextPage ? '+' : ''} patient${rows.length === 1 ? '' : 's'}${search ? ` matching “${search}”` : ''}`}
          </p>
          {rows.length > 0 && (
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Patients</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">MRN</th>
                    <th scope="col">Birth date</th>
                    <th scope="col">Conditions</th>
                    <th scope="col">Calcinosis type</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((p) => (
                    <tr key={p.id}>
                      <td>
                        <Link to={`/patients/${p.id}`}>{p.name}</Link>
                      </td>
                      <td>{p.mrn}</td>
                      <td>{p.birthDate}</td>
                      <td>{p.conditions.map((c) => CONDITION_LABELS[c]).join(', ') || '—'}</td>
                      <td>{CALCINOSIS_TYPE_LABELS[p.calcinosisType]}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {patients.hasNextPage && (
            <button type="button" onClick={() => void patients.fetchNextPage()} disabled={patients.isFetchingNextPage}>
              {patients.isFetchingNextPage ? 'Loading…' : 'Show more patients'}
            </button>
          )}
        </>
      )}
    </Page>
  );
}
