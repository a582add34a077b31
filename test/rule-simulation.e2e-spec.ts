import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_RULE_SETTINGS } from '../src/change-detection/rule-settings';
import { simulateRules } from '../src/change-detection/simulation/simulate';
import { API_COHORT } from '../src/rule-settings/rule-simulation.service';
import { createClinic, errorFields, type TestClinic, type TestUser } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

interface Figures {
  rule: string;
  unchangedFlaggedPercent: number;
  falseAlertsPerPatientYear: number;
  sensitivityPercent: number | null;
}
interface Table {
  falseAlertsPerPatientYear: number;
  rules: Figures[];
}

describe('an admin tries candidate thresholds on the simulated cohort before saving them', () => {
  let t: TestApp;
  let clinic: TestClinic;

  const simulate = (who: TestUser, body: unknown) => t.http().post('/api/v1/rule-settings/simulate').set(who.auth).send(body as object);
  const versions = async (): Promise<number[]> =>
    (await t.db.query('SELECT version FROM rule_settings WHERE clinic_id = $1 ORDER BY version', [clinic.clinicId])).map((r: { version: number }) => r.version);
  const figuresOf = (table: Table, rule: string) => table.rules.find((figures) => figures.rule === rule)!;

  beforeAll(async () => {
    t = await createTestApp();
    clinic = await createClinic(t, 'Simulation clinic');
  });
  afterAll(() => t.close());

  it('with no change, the candidate is the current version and both tables are the pure simulator’s, on the stated cohort', async () => {
    const res = await simulate(clinic.admin, {}).expect(200);
    expect(res.body.current).toMatchObject({ version: 1, settings: { ...DEFAULT_RULE_SETTINGS } });
    expect(res.body.candidate.settings).toEqual(res.body.current.settings);
    expect(res.body.candidate.table).toEqual(res.body.current.table);
    // the endpoint drives the same rules and de-duplication as `npm run rules:simulate`
    expect(res.body.current.table).toEqual(JSON.parse(JSON.stringify(simulateRules(DEFAULT_RULE_SETTINGS, API_COHORT))));
    expect(res.body.cohort).toMatchObject({
      seed: API_COHORT.seed,
      patients: { unchanged: 100, growing: 40, painRising: 40, moving: 40 },
      depositsPerPatient: 5,
      visitIntervalMonths: 3,
      followUpYears: 2,
      noise: { sizePercent: 8, sizeMm: 0.5, painSd: 0.8, landmarkSdMm: 3 },
    });
    expect(res.body.current.table.rules.map((figures: Figures) => figures.rule)).toEqual(expect.arrayContaining(['DEPOSIT_GROWTH', 'MIGRATION', 'PAIN_INCREASE']));
  });

  it('turning reading confirmation off shows the pain and migration alerts it would bring, and stores nothing', async () => {
    const res = await simulate(clinic.admin, { readingConfirmation: false }).expect(200);
    const candidate = res.body.candidate.table as Table;
    const current = res.body.current.table as Table;
    expect(res.body.candidate.settings).toEqual({ ...DEFAULT_RULE_SETTINGS, readingConfirmation: false });
    expect(candidate.falseAlertsPerPatientYear).toBeGreaterThan(2 * current.falseAlertsPerPatientYear);
    for (const rule of ['PAIN_INCREASE', 'MIGRATION']) {
      expect(figuresOf(candidate, rule).unchangedFlaggedPercent).toBeGreaterThan(5 * figuresOf(current, rule).unchangedFlaggedPercent);
    }
    // the size rules do not read pain or position: the same figures
    expect(figuresOf(candidate, 'DEPOSIT_GROWTH')).toEqual(figuresOf(current, 'DEPOSIT_GROWTH'));
    expect(await versions()).toEqual([1]);
  });

  it('compares with the clinic’s latest version, merging the candidate’s changes into it as a PUT would', async () => {
    await t.http().put('/api/v1/rule-settings').set(clinic.admin.auth).send({ migrationMm: 12 }).expect(200);
    const res = await simulate(clinic.admin, { painIncreasePoints: 3 }).expect(200);
    expect(res.body.current).toMatchObject({ version: 2, settings: { migrationMm: 12, painIncreasePoints: 2 } });
    expect(res.body.candidate.settings).toMatchObject({ migrationMm: 12, painIncreasePoints: 3 });
    const pain = (table: Table) => figuresOf(table, 'PAIN_INCREASE');
    expect(pain(res.body.candidate.table).sensitivityPercent!).toBeLessThan(pain(res.body.current.table).sensitivityPercent!);
    expect(await versions()).toEqual([1, 2]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an immediate pain rise below the ordinary one', { painHighPoints: 1 }, 'painHighPoints'],
    ['an ordinary move above the immediate one', { migrationMm: 25 }, 'migrationHighMm'],
    ['a percentage out of range', { growthPercent: 0 }, 'growthPercent'],
    ['a switch that is not a boolean', { readingConfirmation: 'off' }, 'readingConfirmation'],
    ['an unknown key', { seed: 7 }, 'seed'],
  ])('refuses %s with a 400 naming the field, like PUT', async (_story, body, field) => {
    const res = await simulate(clinic.admin, body).expect(400);
    expect(errorFields(res.body)).toContain(field);
  });

  it('is for admins only', async () => {
    for (const who of [clinic.staff, clinic.physician]) await simulate(who, {}).expect(403);
  });

  it('writes exactly one audit event per request, allowed or refused', async () => {
    const count = async () =>
      Number((await t.db.query(`SELECT count(*) FROM audit_events WHERE clinic_id = $1 AND action = 'rule-settings.simulate'`, [clinic.clinicId]))[0].count);
    const before = await count();
    await simulate(clinic.admin, { painHighPercent: 60 }).expect(200);
    await simulate(clinic.admin, { painHighPercent: 5 }).expect(400);
    await simulate(clinic.staff, {}).expect(403);
    expect(await count()).toBe(before + 3);
    const last: { outcome: string; status_code: number; record_type: string }[] = await t.db.query(
      `SELECT outcome, status_code, record_type FROM audit_events WHERE clinic_id = $1 AND action = 'rule-settings.simulate' ORDER BY seq DESC LIMIT 3`,
      [clinic.clinicId],
    );
    expect(last.map((e) => [e.outcome, e.status_code, e.record_type])).toEqual([
      ['denied', 403, 'rule-settings'],
      ['rejected', 400, 'rule-settings'],
      ['success', 200, 'rule-settings'],
    ]);
  });
});
