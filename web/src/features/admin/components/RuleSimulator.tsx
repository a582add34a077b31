// The rule simulator's place on the rule-settings page. The simulator itself
// (POST /api/v1/rule-settings/simulate: the alerts the candidate values would raise on the clinic's
// history) is being built separately; when it lands, its table goes here and takes the candidate
// values the form below holds. Nothing else on the page depends on it.
import type { RuleSettingsValues } from '../../../api/types';

export function RuleSimulator({ candidate }: { candidate: Partial<RuleSettingsValues> }) {
  const changed = Object.keys(candidate).length;
  return (
    <section className="card simulator" aria-labelledby="simulator-heading">
      <h2 id="simulator-heading">Simulate the candidate values</h2>
      <p>
        The rule simulator, which will show the alerts the candidate values would raise on this clinic’s history, is not available in this version.
        {changed > 0 ? ` ${changed} value${changed === 1 ? '' : 's'} changed in the form.` : ''}
      </p>
    </section>
  );
}
