import { Injectable } from '@nestjs/common';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AuthUser } from '../auth/auth-user';
import type { RuleSettings } from '../change-detection/rule-settings';
import { DEFAULT_COHORT, generateCohort, type CohortOptions, type SyntheticPatient } from '../change-detection/simulation/cohort';
import { RuleSimulation, type SimulationTable } from '../change-detection/simulation/simulate';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { Db } from '../database/db';
import { runAsClinic } from '../database/tenant-context';
import type { RuleSettingsDto, UpdateRuleSettingsDto } from './dto/rule-settings.dto';
import type { RuleSimulationDto, SimulationCohortDto } from './dto/rule-simulation.dto';
import { assertValid, changesOf, latestVersion, RULE_SETTING_KEYS, toRuleSettingsDto } from './rule-settings.service';

/**
 * The cohort an admin's candidate settings meet: the simulator's default cohort, smaller, sized so
 * that one table takes about a quarter of a second on a 2-core machine (200 unchanged
 * patient-years, 200 deposits of each changing kind). It is the start of the default cohort of
 * `npm run rules:simulate` (same seed), whose figures the README gives.
 */
export const API_COHORT: Readonly<CohortOptions> = Object.freeze({
  ...DEFAULT_COHORT,
  patients: { unchanged: 100, growing: 40, 'pain-rising': 40, moving: 40 },
});

/** Work for this long, then let other requests in: a simulation never holds the event loop noticeably. */
const SLICE_MS = 3;
/** Simulations running at once in one instance; more answer 429. */
const MAX_RUNNING = 2;
/** Tables kept per instance (the table depends on the settings alone: the cohort is fixed). */
const CACHE_SIZE = 32;

function cohortDto(options: CohortOptions): SimulationCohortDto {
  const { patients } = options;
  return {
    seed: options.seed,
    patients: { unchanged: patients.unchanged, growing: patients.growing, painRising: patients['pain-rising'], moving: patients.moving },
    depositsPerPatient: options.depositsPerPatient,
    visitIntervalMonths: options.visitIntervalMonths,
    followUpYears: options.followUpYears,
    noise: { ...options.noise },
    change: { ...options.change },
  };
}

/**
 * POST /api/v1/rule-settings/simulate: the operating characteristics of candidate settings next to
 * the clinic's current ones, on the same synthetic patients. Nothing is stored. The simulation runs
 * outside any database transaction, in slices between which other requests are served.
 */
@Injectable()
export class RuleSimulationService {
  private patients: SyntheticPatient[] | null = null;
  private readonly tables = new Map<string, Promise<SimulationTable>>();
  private running = 0;

  constructor(private readonly db: Db) {}

  async simulate(actor: AuthUser, dto: UpdateRuleSettingsDto, onBusy: (retryAfterSeconds: number) => void): Promise<RuleSimulationDto> {
    // changes are validated exactly as a PUT would validate them, against the current version
    const current = toRuleSettingsDto(await runAsClinic(this.db.dataSource, actor.clinicId, (manager) => latestVersion(manager, actor.clinicId)));
    const candidate: RuleSettings = { ...current.settings, ...changesOf(dto) };
    assertValid(candidate);
    if (this.running >= MAX_RUNNING) {
      onBusy(1);
      throw new DomainError(ErrorCode.TooManyRequests, 'other simulations are running; try again in a moment');
    }
    this.running += 1;
    try {
      const candidateTable = await this.tableOf(candidate);
      const currentTable = await this.tableOf(current.settings);
      return {
        cohort: cohortDto(API_COHORT),
        candidate: { settings: candidateOf(candidate), table: candidateTable },
        current: { version: current.version, settings: current.settings, table: currentTable },
      };
    } finally {
      this.running -= 1;
    }
  }

  private tableOf(settings: RuleSettings): Promise<SimulationTable> {
    const key = JSON.stringify(RULE_SETTING_KEYS.map((name) => settings[name]));
    const known = this.tables.get(key);
    if (known !== undefined) {
      // most recently used last
      this.tables.delete(key);
      this.tables.set(key, known);
      return known;
    }
    const table = this.run(settings);
    this.tables.set(key, table);
    table.catch(() => this.tables.delete(key));
    if (this.tables.size > CACHE_SIZE) this.tables.delete(this.tables.keys().next().value!);
    return table;
  }

  private async run(settings: RuleSettings): Promise<SimulationTable> {
    this.patients ??= generateCohort(API_COHORT);
    const simulation = new RuleSimulation(settings, API_COHORT);
    let sliceStarted = performance.now();
    for (const patient of this.patients) {
      simulation.follow(patient);
      if (performance.now() - sliceStarted >= SLICE_MS) {
        await nextTurn();
        sliceStarted = performance.now();
      }
    }
    return simulation.table();
  }
}

/** The candidate as a response lists settings: every key, in the documented order. */
function candidateOf(settings: RuleSettings): RuleSettingsDto['settings'] {
  return toRuleSettingsDto({ version: 0, settings, createdAt: null, createdBy: null }).settings;
}
