// The rule simulator on the rule-settings page: the candidate values in the form, run by
// POST /api/v1/rule-settings/simulate over the API's seeded synthetic cohort (no patient data), next
// to the clinic's current settings. Every figure is the API's; nothing is stored.
import type { components } from '../../../api/schema';
import type { RuleSettingsValues } from '../../../api/types';
import { messageOf } from '../../../api/errors';
import { ErrorMessage } from '../../../components/Page';
import { RULE_LABELS } from '../../../labels';
import { useSimulateRuleSettings } from '../api';

type Figures = components['schemas']['RuleFiguresDto'];

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v} %`);
const num = (v: number | null | undefined) => (v === null || v === undefined ? '—' : String(v));

function Pair({ now, then }: { now: string; then: string }) {
  return (
    <>
      {now}
      {then !== now && <span className="sub">candidate {then}</span>}
    </>
  );
}

export function RuleSimulator({ candidate }: { candidate: Partial<RuleSettingsValues> }) {
  const simulate = useSimulateRuleSettings();
  const changed = Object.keys(candidate).length;
  const result = simulate.data;
  // the rules either side reports (a rule appears where it has a changing cohort or raised an alert)
  const codes = result ? [...new Set([...result.current.table.rules, ...result.candidate.table.rules].map((r) => r.rule))] : [];
  const rules = codes.map((rule) => ({
    rule,
    current: result!.current.table.rules.find((r) => r.rule === rule) as Figures | undefined,
    candidate: result!.candidate.table.rules.find((r) => r.rule === rule) as Figures | undefined,
  }));
  return (
    <section className="card simulator" aria-labelledby="simulator-heading">
      <h2 id="simulator-heading">Simulate the candidate values</h2>
      <p>
        Runs the rules with the values in the form ({changed === 0 ? 'unchanged' : `${changed} changed`}) over a synthetic cohort of followed-up patients — the same
        patients for both — and shows what they would cost beside the current settings. Nothing is stored.
      </p>
      <button type="button" onClick={() => simulate.mutate(candidate)} disabled={simulate.isPending}>
        {simulate.isPending ? 'Simulating…' : 'Simulate'}
      </button>
      <ErrorMessage error={simulate.error ? messageOf(simulate.error) : null} />
      <p role="status" className="result-count">
        {result
          ? `False alerts per patient-year, all rules: ${result.current.table.falseAlertsPerPatientYear} now, ${result.candidate.table.falseAlertsPerPatientYear} with the candidate values (${result.current.table.unchangedPatients} unchanged patients over ${result.cohort.followUpYears} years).`
          : ''}
      </p>
      {result && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Each rule with the current settings and with the candidate values</caption>
            <thead className="compact-head">
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Unchanged flagged</th>
                <th scope="col">False alerts per patient-year</th>
                <th scope="col">Changing flagged</th>
                <th scope="col">Median delay (days)</th>
              </tr>
            </thead>
            <tbody>
              {rules.map(({ rule, current: c, candidate: n }) => (
                <tr key={rule}>
                  <th scope="row">
                    {RULE_LABELS[rule]}
                    <span className="sub">per {(c ?? n)?.per}</span>
                  </th>
                  <td>
                    <Pair now={pct(c?.unchangedFlaggedPercent)} then={pct(n?.unchangedFlaggedPercent)} />
                  </td>
                  <td>
                    <Pair now={num(c?.falseAlertsPerPatientYear)} then={num(n?.falseAlertsPerPatientYear)} />
                  </td>
                  <td>
                    <Pair now={pct(c?.sensitivityPercent)} then={pct(n?.sensitivityPercent)} />
                  </td>
                  <td>
                    <Pair now={num(c?.medianDelayDays)} then={num(n?.medianDelayDays)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
