/**
 * The rules' operating characteristics measured through the real API (issue 9's acceptance): a
 * synthetic cohort — its own seed and mix, not the simulator's — is posted to a running service as
 * patients with 5 deposits each and quarterly visits for two years, and the alerts in the visits'
 * answers are counted the way a clinic would meet them. Nobody resolves an alert, as in the
 * simulator. Not a benchmark: nothing is timed.
 *
 *   CALCITRACK_URL=http://localhost:3000 CHECK_EMAIL=staff@demo.local CHECK_PASSWORD=calcitrack-demo \
 *     npx ts-node --transpile-only scripts/cohort-check.ts [--seed N] [--unchanged N] [--changing N]
 *
 * The user must be staff or a physician of a clinic whose rule settings are the defaults (the demo
 * clinic is). The run posts about 10 requests per patient: start the service with a higher
 * RATE_LIMIT_PER_MINUTE, or the script waits out each 429. It prints the API's table, the pure
 * simulator's table for the same cohort (they should agree exactly: the same rules and the same
 * de-duplication), and the acceptance checks; it exits 1 when a check fails.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../src/change-detection/rule-settings';
import { cohortFrom, generateCohort, type CohortOptions, type SyntheticPatient } from '../src/change-detection/simulation/cohort';
import { RuleSimulation, simulateOnCohort, type Flag, type SimulationTable } from '../src/change-detection/simulation/simulate';
import { describeCohort, formatSimulationTable } from '../src/change-detection/simulation/simulation-report';
import type { EvaluationPoint, RuleCode } from '../src/change-detection/types';

const BASE = process.env.CALCITRACK_URL ?? 'http://localhost:3000';
const EMAIL = process.env.CHECK_EMAIL ?? 'staff@demo.local';
const PASSWORD = process.env.CHECK_PASSWORD ?? 'calcitrack-demo';
const PARALLEL_PATIENTS = 4;

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}

const changing = argument('changing', 50);
const { options: COHORT, problems } = cohortFrom({
  seed: argument('seed', 90_210),
  patients: { unchanged: argument('unchanged', 100), growing: changing, 'pain-rising': changing, moving: changing },
  // another mix than the simulator's: the change may come a visit earlier, and visits end before today
  change: { fromVisit: 2, toVisit: 7 },
  firstVisitOn: '2023-03-01',
});
if (problems.length > 0) throw new Error(problems.join('; '));

interface AlertSeen {
  id: string;
  rule: RuleCode;
  depositId: string | null;
}

let token = '';

async function login(): Promise<void> {
  const res = await fetch(`${BASE}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  token = ((await res.json()) as { accessToken: string }).accessToken;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${BASE}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 429 && attempt < 100) {
      await sleep(1000 * Number(res.headers.get('retry-after') ?? 1));
      continue;
    }
    if (res.status === 401 && attempt < 3) {
      await login();
      continue;
    }
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
}

function measurement(evaluation: EvaluationPoint): Record<string, unknown> {
  return {
    method: evaluation.method,
    longestDiameterMm: evaluation.longestDiameterMm,
    painScore: evaluation.painScore,
    position: { landmark: evaluation.landmark, xMm: evaluation.xMm, yMm: evaluation.yMm },
  };
}

async function postPatient(patient: SyntheticPatient, runId: string): Promise<Flag[]> {
  const { id: patientId } = await call<{ id: string }>('POST', '/api/v1/patients', {
    mrn: `COHORT-${runId}-${patient.index}`,
    name: `Cohort Patient ${patient.index}`,
    birthDate: '1970-01-01',
    sex: 'unknown',
    conditions: ['systemic-sclerosis-limited'],
    calcinosisType: 'dystrophic',
    familyHistory: false,
  });
  const seen = new Set<string>();
  const flags: Flag[] = [];
  let depositIds: string[] = [];
  for (const visit of patient.visits) {
    const body =
      visit.index === 0
        ? {
            visitDate: visit.date,
            newDeposits: visit.evaluations.map((evaluation, d) => ({
              label: patient.deposits[d].label,
              site: 'finger',
              laterality: 'right',
              depth: 'subcutaneous',
              detectedBy: 'caliper',
              evaluation: measurement(evaluation),
            })),
          }
        : { visitDate: visit.date, evaluations: visit.evaluations.map((evaluation, d) => ({ depositId: depositIds[d], ...measurement(evaluation) })) };
    const answer = await call<{ newDepositIds: string[]; alerts: AlertSeen[] }>('POST', `/api/v1/patients/${patientId}/visits`, body);
    if (visit.index === 0) depositIds = answer.newDepositIds;
    for (const alert of answer.alerts) {
      if (alert.rule === 'OVERDUE_REVIEW') continue;
      flags.push({ rule: alert.rule, deposit: alert.depositId === null ? null : depositIds.indexOf(alert.depositId), visit: visit.index, raised: !seen.has(alert.id) });
      seen.add(alert.id);
    }
  }
  return flags;
}

/** The API's flags tallied exactly as the simulator tallies its own. */
function tableFromApi(patients: SyntheticPatient[], flagsByPatient: Map<number, Flag[]>, settings: RuleSettings, options: CohortOptions): SimulationTable {
  const tally = new RuleSimulation(settings, options);
  for (const patient of patients) tally.record(patient, flagsByPatient.get(patient.index) ?? []);
  return tally.table();
}

async function main(): Promise<void> {
  await login();
  const current = await call<{ version: number; settings: RuleSettings }>('GET', '/api/v1/rule-settings');
  const changed = (Object.keys(DEFAULT_RULE_SETTINGS) as (keyof RuleSettings)[]).filter((key) => current.settings[key] !== DEFAULT_RULE_SETTINGS[key]);
  if (changed.length > 0) throw new Error(`the clinic's rule settings are not the defaults (${changed.join(', ')}): use a clinic on the defaults`);

  const patients = generateCohort(COHORT);
  const runId = randomUUID().slice(0, 8);
  console.log(`Cohort (posted through ${BASE}, run ${runId}): ${describeCohort(COHORT)}; the change at visit ${COHORT.change.fromVisit}–${COHORT.change.toVisit}.`);
  const flagsByPatient = new Map<number, Flag[]>();
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: PARALLEL_PATIENTS }, async () => {
      while (next < patients.length) {
        const patient = patients[next++];
        flagsByPatient.set(patient.index, await postPatient(patient, runId));
        if (++done % 25 === 0) console.error(`${done}/${patients.length} patients posted`);
      }
    }),
  );

  const api = tableFromApi(patients, flagsByPatient, current.settings, COHORT);
  const simulated = simulateOnCohort(patients, current.settings, COHORT);
  console.log('\nThrough the API:\n');
  console.log(formatSimulationTable(api, COHORT));
  console.log('\nThe pure simulator on the same cohort:\n');
  console.log(formatSimulationTable(simulated, COHORT));
  console.log(`\nAPI and simulator agree exactly: ${JSON.stringify(api) === JSON.stringify(simulated) ? 'yes' : 'NO'}`);

  const rule = (name: RuleCode) => api.rules.find((figures) => figures.rule === name)!;
  const checks: Array<[string, boolean]> = [
    [`false alerts per unchanged patient-year, all rules: ${api.falseAlertsPerPatientYear} ≤ 0.5`, api.falseAlertsPerPatientYear <= 0.5],
    [`sustained 3-point pain rises flagged by the next visit: ${rule('PAIN_INCREASE').sensitivityPercent} % ≥ 85 %`, rule('PAIN_INCREASE').sensitivityPercent! >= 85],
    [`15 mm moves flagged by the next visit: ${rule('MIGRATION').sensitivityPercent} % ≥ 85 %`, rule('MIGRATION').sensitivityPercent! >= 85],
    [`DEPOSIT_GROWTH on unchanged deposits: ${rule('DEPOSIT_GROWTH').unchangedFlaggedPercent} % ≤ 8 %`, rule('DEPOSIT_GROWTH').unchangedFlaggedPercent <= 8],
    [`DEPOSIT_GROWTH on 30 %/year growth within two years: ${rule('DEPOSIT_GROWTH').sensitivityPercent} % ≥ 85 %`, rule('DEPOSIT_GROWTH').sensitivityPercent! >= 85],
  ];
  console.log('');
  for (const [text, ok] of checks) console.log(`${ok ? 'met    ' : 'NOT MET'}  ${text}`);
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
