import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_RULE_SETTINGS } from '../src/change-detection/rule-settings';
import { createClinic, createPatient, errorFields, newDepositInput, type TestClinic, type TestUser } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

describe("a clinic's versioned rule settings", () => {
  let t: TestApp;

  const get = (who: TestUser) => t.http().get('/api/v1/rule-settings').set(who.auth);
  const put = (who: TestUser, body: unknown, ifMatch?: string) => {
    const req = t.http().put('/api/v1/rule-settings').set(who.auth);
    return (ifMatch === undefined ? req : req.set('If-Match', ifMatch)).send(body as object);
  };
  const versions = async (clinicId: string): Promise<number[]> => {
    const rows: { version: number }[] = await t.db.query('SELECT version FROM rule_settings WHERE clinic_id = $1 ORDER BY version', [clinicId]);
    return rows.map((r) => r.version);
  };

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('reading and changing them', () => {
    let clinic: TestClinic;

    beforeAll(async () => {
      clinic = await createClinic(t, 'Settings clinic');
    });

    it('a new clinic runs on the defaults, version 1, readable by every role', async () => {
      for (const who of [clinic.staff, clinic.physician, clinic.admin]) {
        const res = await get(who).expect(200);
        expect(res.body).toEqual({ version: 1, settings: { ...DEFAULT_RULE_SETTINGS }, createdAt: expect.any(String), createdBy: null });
        expect(res.headers.etag).toBe('"1"');
      }
    });

    it('staff and physicians may not change them', async () => {
      for (const who of [clinic.staff, clinic.physician]) {
        const res = await put(who, { growthPercent: 25 }).expect(403);
        expect(res.body.statusCode).toBe(403);
      }
      expect(await versions(clinic.clinicId)).toEqual([1]);
    });

    it('an admin changes one threshold: a new version, the rest unchanged', async () => {
      const res = await put(clinic.admin, { growthPercent: 25 }).expect(200);
      expect(res.body).toEqual({
        version: 2,
        settings: { ...DEFAULT_RULE_SETTINGS, growthPercent: 25 },
        createdAt: expect.any(String),
        createdBy: clinic.admin.id,
      });
      expect(res.headers.etag).toBe('"2"');
      expect(await versions(clinic.clinicId)).toEqual([1, 2]);
      const [v1] = await t.db.query('SELECT settings FROM rule_settings WHERE clinic_id = $1 AND version = 1', [clinic.clinicId]);
      expect(v1.settings.growthPercent).toBe(20);
      const read = await get(clinic.staff).expect(200);
      expect(read.body).toEqual(res.body);
    });

    it('a PUT that changes nothing stores nothing and answers the current version', async () => {
      for (const body of [{}, { growthPercent: 25 }, { trendConfirmation: true, noiseFloorMm: 2 }]) {
        const res = await put(clinic.admin, body).expect(200);
        expect(res.body).toMatchObject({ version: 2, settings: { growthPercent: 25 }, createdBy: clinic.admin.id });
      }
      expect(await versions(clinic.clinicId)).toEqual([1, 2]);
    });

    it('several thresholds at once, a boolean and a whole number of months', async () => {
      const res = await put(clinic.admin, { trendConfirmation: false, readingConfirmation: false, tier1MinMonths: 3, correctedCalciumMaxMgDl: 10.5 }).expect(200);
      expect(res.body.version).toBe(3);
      expect(res.body.settings).toEqual({
        ...DEFAULT_RULE_SETTINGS,
        growthPercent: 25,
        trendConfirmation: false,
        readingConfirmation: false,
        tier1MinMonths: 3,
        correctedCalciumMaxMgDl: 10.5,
      });
    });

    it.each<[string, Record<string, unknown> | unknown[], string]>([
      ['a percentage below its range', { growthPercent: 0 }, 'growthPercent'],
      ['a percentage above its range', { growthPercent: 501 }, 'growthPercent'],
      ['a negative noise floor', { noiseFloorMm: -1 }, 'noiseFloorMm'],
      ['a regression of more than 100 %', { regressionPercent: 120 }, 'regressionPercent'],
      ['months that are not whole', { tier1MinMonths: 4.5 }, 'tier1MinMonths'],
      ['a number written as text', { growthMm: '5' }, 'growthMm'],
      ['null for a threshold', { caPhosHigh: null }, 'caPhosHigh'],
      ['trendConfirmation as text', { trendConfirmation: 'yes' }, 'trendConfirmation'],
      ['trendConfirmation as a number', { trendConfirmation: 1 }, 'trendConfirmation'],
      ['an unknown key', { growthPct: 30 }, 'growthPct'],
      ['the high growth percentage below the ordinary one (after merging)', { growthHighPercent: 24 }, 'growthHighPercent'],
      ['the ordinary growth above the high one', { growthMm: 12 }, 'growthHighMm'],
      ['the Ca×P warning above the high threshold', { caPhosWarning: 80, caPhosHigh: 75 }, 'caPhosHigh'],
      ['an immediate pain rise below the ordinary one', { painHighPoints: 1.5 }, 'painHighPoints'],
      ['an ordinary pain percentage above the immediate one', { painIncreasePercent: 55 }, 'painHighPercent'],
      ['an immediate move below the ordinary one', { migrationHighMm: 9 }, 'migrationHighMm'],
      ['an immediate pain rise off the 0–10 scale', { painHighPoints: 11 }, 'painHighPoints'],
      ['readingConfirmation as text', { readingConfirmation: 'no' }, 'readingConfirmation'],
    ])('refuses %s with a 400 naming the field, and writes no version', async (_story, body, field) => {
      const before = await versions(clinic.clinicId);
      const res = await put(clinic.admin, body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(errorFields(res.body)).toContain(field);
      expect(await versions(clinic.clinicId)).toEqual(before);
    });

    it('names every bad field of one PUT', async () => {
      const res = await put(clinic.admin, { growthPercent: 0, tier2MinMonths: 0.5, migrationMm: 'far' }).expect(400);
      expect(errorFields(res.body).sort()).toEqual(['growthPercent', 'migrationMm', 'tier2MinMonths']);
    });

    it('honours If-Match: stale is a 412, current goes through', async () => {
      const current = await get(clinic.admin).expect(200);
      const stale = await put(clinic.admin, { migrationMm: 12 }, '"1"').expect(412);
      expect(stale.body.statusCode).toBe(412);
      expect(await versions(clinic.clinicId)).toEqual([1, 2, 3]);
      const res = await put(clinic.admin, { migrationMm: 12 }, current.headers.etag).expect(200);
      expect(res.body).toMatchObject({ version: 4, settings: { migrationMm: 12 } });
    });

    it('concurrent PUTs make distinct, consecutive versions', async () => {
      const before = await versions(clinic.clinicId);
      const last = before[before.length - 1];
      const results = await Promise.all([31, 32, 33, 34, 35].map((regressionPercent) => put(clinic.admin, { regressionPercent })));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(results.map((r) => r.body.version as number).sort((a, b) => a - b)).toEqual([last + 1, last + 2, last + 3, last + 4, last + 5]);
      expect(await versions(clinic.clinicId)).toEqual([...before, last + 1, last + 2, last + 3, last + 4, last + 5]);
      // the latest version holds the value of whichever PUT came last
      const latest = results.find((r) => r.body.version === last + 5)!;
      expect((await get(clinic.staff).expect(200)).body.settings.regressionPercent).toBe(latest.body.settings.regressionPercent);
    });

    it('the OpenAPI document lists every threshold, for reading and for changing', async () => {
      const doc = await t.http().get('/docs-json').expect(200);
      const schemas = doc.body.components.schemas as Record<string, { properties: Record<string, unknown> }>;
      const keys = Object.keys(DEFAULT_RULE_SETTINGS).sort();
      expect(Object.keys(schemas.RuleSettingsValuesDto.properties).sort()).toEqual(keys);
      expect(Object.keys(schemas.UpdateRuleSettingsDto.properties).sort()).toEqual(keys);
      expect(schemas.UpdateRuleSettingsDto.properties.tier1MinMonths).toMatchObject({ type: 'integer', minimum: 1, maximum: 60 });
    });
  });

  describe('alerts record the version that raised them', () => {
    let clinic: TestClinic;

    /** A 10 mm deposit that measures 13 mm three months later: +30 % but only +3 mm over the nadir. */
    async function growByThreeMm(): Promise<{ rule: string; severity: string; settingsVersion: number; evidence: Record<string, unknown> }[]> {
      const patientId = await createPatient(t, clinic.staff);
      const first = await t
        .http()
        .post(`/api/v1/patients/${patientId}/visits`)
        .set(clinic.staff.auth)
        .send({ visitDate: '2025-01-10', newDeposits: [newDepositInput({}, { longestDiameterMm: 10 })] })
        .expect(201);
      const second = await t
        .http()
        .post(`/api/v1/patients/${patientId}/visits`)
        .set(clinic.staff.auth)
        .send({ visitDate: '2025-04-10', evaluations: [{ depositId: first.body.newDepositIds[0], method: 'caliper', longestDiameterMm: 13 }] })
        .expect(201);
      return second.body.alerts;
    }

    beforeAll(async () => {
      clinic = await createClinic(t, 'Thresholds clinic');
    });

    it('under the defaults (+5 mm needed) the growth raises nothing; after lowering the thresholds it does, with version 2', async () => {
      expect(await growByThreeMm()).toEqual([]);

      const res = await put(clinic.admin, { growthMm: 2, growthHighPercent: 30, growthHighMm: 2 }).expect(200);
      expect(res.body.version).toBe(2);

      const alerts = await growByThreeMm();
      expect(alerts.map((a) => [a.rule, a.severity, a.settingsVersion])).toEqual([['DEPOSIT_GROWTH', 'high', 2]]);
      expect(alerts[0].evidence).toMatchObject({ settingsVersion: 2 });
    });
  });
});
