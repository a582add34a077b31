/**
 * The rule simulator: what a set of thresholds costs on a synthetic cohort, per rule — the share of
 * unchanged deposits flagged, false alerts per unchanged patient-year, the share of changing
 * deposits flagged, and the delay. Pure (no database): the same rules and de-duplication as the API.
 *
 *   npm run rules:simulate                                   # the default settings, as a Markdown table
 *   npm run rules:simulate -- --settings my-settings.json    # some thresholds changed (the rest: defaults)
 *   npm run rules:simulate -- --cohort cohort.json --seed 7  # another cohort or seed
 *   npm run rules:simulate -- --json                         # the table as JSON
 *
 * A settings file holds any subset of the rule settings (as in PUT /api/v1/rule-settings); a
 * cohort file any subset of the cohort options (src/change-detection/simulation/cohort.ts).
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_RULE_SETTINGS, validateRuleSettings, type RuleSettings } from '../src/change-detection/rule-settings';
import { cohortFrom, DEFAULT_COHORT, type CohortOptions } from '../src/change-detection/simulation/cohort';
import { simulateRules } from '../src/change-detection/simulation/simulate';
import { describeCohort, formatSimulationTable } from '../src/change-detection/simulation/simulation-report';

function fail(message: string): never {
  console.error(`rules:simulate: ${message}`);
  process.exit(2);
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return fail(`cannot read ${path}: ${(err as Error).message}`);
  }
}

function settingsFrom(path: string | undefined): RuleSettings {
  if (path === undefined) return { ...DEFAULT_RULE_SETTINGS };
  const given = readJson(path);
  if (typeof given !== 'object' || given === null || Array.isArray(given)) fail(`${path} must hold a JSON object of rule settings`);
  const unknown = Object.keys(given).filter((key) => !(key in DEFAULT_RULE_SETTINGS));
  if (unknown.length > 0) fail(`${path}: not rule settings: ${unknown.join(', ')}`);
  const settings = { ...DEFAULT_RULE_SETTINGS, ...(given as Partial<RuleSettings>) };
  const problems = validateRuleSettings(settings);
  if (problems.length > 0) fail(`${path}: ${problems.map((p) => p.message).join('; ')}`);
  return settings;
}

function cohortOf(path: string | undefined, seed: string | undefined): CohortOptions {
  const partial = path === undefined ? {} : readJson(path);
  const withSeed = seed === undefined ? partial : { ...(partial as object), seed: Number(seed) };
  const { options, problems } = cohortFrom(withSeed, DEFAULT_COHORT);
  if (problems.length > 0) fail(problems.join('; '));
  return options;
}

function parseArgs(argv: string[]): { settings?: string; cohort?: string; seed?: string; json: boolean } {
  const args: { settings?: string; cohort?: string; seed?: string; json: boolean } = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') args.json = true;
    else if (arg === '--settings' || arg === '--cohort' || arg === '--seed') {
      const value = argv[++i];
      if (value === undefined) fail(`${arg} needs a value`);
      args[arg.slice(2) as 'settings' | 'cohort' | 'seed'] = value;
    } else fail(`unknown argument ${arg} (use --settings FILE, --cohort FILE, --seed N, --json)`);
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const settings = settingsFrom(args.settings);
const cohort = cohortOf(args.cohort, args.seed);
const table = simulateRules(settings, cohort);
if (args.json) {
  console.log(JSON.stringify({ cohort, settings, table }, null, 2));
} else {
  console.log(`Cohort: ${describeCohort(cohort)}.`);
  console.log(`Settings: ${args.settings ?? 'the defaults'} (reading confirmation ${settings.readingConfirmation ? 'on' : 'off'}).\n`);
  console.log(formatSimulationTable(table, cohort));
}
