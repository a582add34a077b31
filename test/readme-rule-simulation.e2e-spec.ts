import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_RULE_SETTINGS } from '../src/change-detection/rule-settings';
import { DEFAULT_COHORT, generateCohort } from '../src/change-detection/simulation/cohort';
import { simulateOnCohort } from '../src/change-detection/simulation/simulate';
import { formatSimulationTable } from '../src/change-detection/simulation/simulation-report';

/** The README's "What the thresholds cost" tables are what `npm run rules:simulate` prints for the defaults, confirmation on and off. */
describe('the README’s operating characteristics', () => {
  it('are the simulator’s, for the default settings with reading confirmation on and off', () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    const tables = readme
      .split('\n\n')
      .map((block) => block.slice(block.indexOf('| rule | unchanged deposits flagged')))
      .filter((block) => block.startsWith('| rule | unchanged deposits flagged'))
      .map((block) => block.trim());
    const patients = generateCohort(DEFAULT_COHORT);
    const table = (readingConfirmation: boolean) =>
      formatSimulationTable(simulateOnCohort(patients, { ...DEFAULT_RULE_SETTINGS, readingConfirmation }, DEFAULT_COHORT), DEFAULT_COHORT);
    expect(tables).toEqual([table(true), table(false)]);
  });
});
