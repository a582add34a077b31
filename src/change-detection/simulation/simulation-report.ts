// The simulator's table as text a clinic reads (Markdown, as in the README).

import type { CohortKind, CohortOptions } from './cohort';
import { visitCountOf } from './cohort';
import type { RuleFigures, SimulationTable } from './simulate';

const number = (value: number) => value.toLocaleString('en-US');

function changeText(kind: CohortKind, options: CohortOptions): string {
  const { change } = options;
  if (kind === 'growing') return `growing ${change.growthPercentPerYear} %/year`;
  if (kind === 'pain-rising') return `pain up ${change.painRisePoints} points, sustained`;
  if (kind === 'moving') return `moved ${change.moveMm} mm, sustained`;
  return 'unchanged';
}

function row(figures: RuleFigures, options: CohortOptions): string {
  const unit = figures.per === 'patient' ? ' of patients' : '';
  const cohort =
    figures.changingKind === null ? '—' : `${changeText(figures.changingKind, options)} (${number(figures.changingCount ?? 0)} ${figures.per}s)`;
  const window = figures.sensitivityWindow === 'follow-up' ? 'within the follow-up' : 'by the next visit';
  const found = figures.sensitivityPercent === null ? '—' : `${figures.sensitivityPercent} % ${window}`;
  const delay = figures.medianDelayDays === null ? '—' : `${number(figures.medianDelayDays)} days`;
  return `| \`${figures.rule}\` | ${figures.unchangedFlaggedPercent} %${unit} | ${figures.falseAlertsPerPatientYear} | ${cohort} | ${found} | ${delay} |`;
}

/** "400 unchanged patients (800 patient-years), 200 growing, …; seed 20251126" */
export function describeCohort(options: CohortOptions): string {
  const { patients, noise } = options;
  const treatment = options.treatmentKind === null ? 'no treatment' : `all on ${options.treatmentKind} from the first visit`;
  return (
    `${number(patients.unchanged)} unchanged patients (${number(patients.unchanged * options.followUpYears)} patient-years), ` +
    `${number(patients.growing)} growing, ${number(patients['pain-rising'])} with pain rising, ${number(patients.moving)} moving; ` +
    `${options.depositsPerPatient} deposits each, ${visitCountOf(options)} visits ${options.visitIntervalMonths} months apart ` +
    `(${options.followUpYears} years), ${treatment}; noise: size ${noise.sizePercent} % + ${noise.sizeMm} mm, ` +
    `pain SD ${noise.painSd} point (whole points, 0–10), landmark SD ${noise.landmarkSdMm} mm per axis; seed ${options.seed}`
  );
}

export function formatSimulationTable(table: SimulationTable, options: CohortOptions): string {
  return [
    '| rule | unchanged deposits flagged | false alerts per patient-year | changing cohort | flagged | median delay |',
    '|---|---:|---:|---|---:|---:|',
    ...table.rules.map((figures) => row(figures, options)),
    `| **all rules** | | **${table.falseAlertsPerPatientYear}** | | | |`,
  ].join('\n');
}
