import type { Alert, DepositDetail } from '../../../api/types';
import { SeverityBadge } from '../../../components/Severity';
import { DEPOSIT_STATUS_LABELS, depositName, METHOD_LABELS, mm, RULE_LABELS } from '../../../labels';
import { Change } from './change';

export interface DepositRow {
  detail: DepositDetail;
  worst: Alert | null;
}

/** Each deposit's latest size and its change since baseline and nadir, as the API computed them. */
export function DepositList({ rows, onSelect }: { rows: DepositRow[]; onSelect: (id: string) => void }) {
  if (!rows.length) return <p>No deposits recorded yet.</p>;
  return (
    <div className="table-wrap">
      <table className="deposit-table">
        <caption className="visually-hidden">Deposits: latest size and change since baseline and nadir</caption>
        <thead>
          <tr>
            <th scope="col">Deposit</th>
            <th scope="col">Latest</th>
            <th scope="col">Since baseline</th>
            <th scope="col">Since nadir</th>
            <th scope="col">Worst open alert</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ detail: d, worst }) => (
            <tr key={d.id}>
              <th scope="row">
                <button type="button" className="link-button" onClick={() => onSelect(d.id)}>
                  {depositName(d)}
                </button>
                {d.status !== 'active' && <span className="tag">{DEPOSIT_STATUS_LABELS[d.status]}</span>}
              </th>
              <td>
                {d.latest ? (
                  <>
                    {mm(d.latest.longestDiameterMm)}
                    <span className="sub">
                      {METHOD_LABELS[d.latest.method]}, {d.latest.visitDate}
                    </span>
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td>
                <Change change={d.changeSinceBaseline} />
              </td>
              <td>
                <Change change={d.changeSinceNadir} />
              </td>
              <td>
                {worst ? (
                  <>
                    <SeverityBadge severity={worst.severity} />
                    <span className="sub">{RULE_LABELS[worst.rule]}</span>
                  </>
                ) : (
                  'None'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
