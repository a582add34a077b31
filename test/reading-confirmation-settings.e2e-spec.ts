import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ReadingConfirmationSettings1764190000000 } from '../migrations/1764190000000-reading-confirmation-settings';
import { DEFAULT_RULE_SETTINGS } from '../src/change-detection/rule-settings';
import { createClinic, errorFields, type TestClinic } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

const NEW_KEYS = ['readingConfirmation', 'painHighPoints', 'painHighPercent', 'migrationHighMm'] as const;

/** Settings as a release before reading confirmation stored them. */
function olderRelease(changes: Record<string, unknown> = {}): Record<string, unknown> {
  const settings: Record<string, unknown> = { ...DEFAULT_RULE_SETTINGS, ...changes };
  for (const key of NEW_KEYS) delete settings[key];
  return settings;
}

describe('the migration that gives stored rule settings the reading-confirmation defaults', () => {
  let t: TestApp;
  let clinic: TestClinic;

  const stored = async (version: number): Promise<{ settings: Record<string, unknown>; xmin: string }> => {
    const [row] = await t.db.query('SELECT settings, xmin::text AS xmin FROM rule_settings WHERE clinic_id = $1 AND version = $2', [clinic.clinicId, version]);
    return row;
  };

  beforeAll(async () => {
    t = await createTestApp();
    clinic = await createClinic(t, 'Upgraded clinic');
    // version 2: an admin's change under the older release; version 3: a clinic with stricter pain and migration thresholds
    for (const [version, settings] of [
      [2, olderRelease({ growthPercent: 25 })],
      [3, olderRelease({ growthPercent: 25, painIncreasePoints: 5, painIncreasePercent: 60, migrationMm: 25 })],
    ] as const) {
      await t.db.query('INSERT INTO rule_settings (clinic_id, version, settings) VALUES ($1, $2, $3)', [clinic.clinicId, version, settings]);
    }
    const untouched = await stored(1);
    const runner = t.db.createQueryRunner();
    await runner.startTransaction();
    await new ReadingConfirmationSettings1764190000000().up(runner);
    await runner.commitTransaction();
    await runner.release();
    expect((await stored(1)).xmin).toBe(untouched.xmin);
  });
  afterAll(() => t.close());

  it('adds the defaults to a version that lacked them and keeps every value it had', async () => {
    expect((await stored(2)).settings).toEqual({ ...DEFAULT_RULE_SETTINGS, growthPercent: 25 });
  });

  it('never puts an immediate threshold below the clinic’s ordinary one', async () => {
    expect((await stored(3)).settings).toEqual({
      ...DEFAULT_RULE_SETTINGS,
      growthPercent: 25,
      painIncreasePoints: 5,
      painIncreasePercent: 60,
      migrationMm: 25,
      painHighPoints: 5,
      painHighPercent: 60,
      migrationHighMm: 25,
    });
  });

  it('leaves the clinic able to change one threshold, and its latest version readable', async () => {
    const read = await t.http().get('/api/v1/rule-settings').set(clinic.admin.auth).expect(200);
    expect(read.body).toMatchObject({ version: 3, settings: { painHighPoints: 5, readingConfirmation: true } });
    const res = await t.http().put('/api/v1/rule-settings').set(clinic.admin.auth).send({ regressionPercent: 35 }).expect(200);
    expect(res.body).toMatchObject({ version: 4, settings: { painHighPoints: 5, regressionPercent: 35 } });
  });

  it('refuses an immediate threshold below the ordinary one, naming the field', async () => {
    const res = await t.http().put('/api/v1/rule-settings').set(clinic.admin.auth).send({ painHighPoints: 4 }).expect(400);
    expect(errorFields(res.body)).toEqual(['painHighPoints']);
  });

  it('puts the append-only guard back', async () => {
    await expect(t.db.query(`UPDATE rule_settings SET settings = settings WHERE clinic_id = $1`, [clinic.clinicId])).rejects.toThrow();
  });

  it('is a no-op when run again', async () => {
    const before = await stored(2);
    const runner = t.db.createQueryRunner();
    await runner.startTransaction();
    await new ReadingConfirmationSettings1764190000000().up(runner);
    await runner.commitTransaction();
    await runner.release();
    expect(await stored(2)).toEqual(before);
  });
});
