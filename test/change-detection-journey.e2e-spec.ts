import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClinic, createPatient, newDepositInput, type TestClinic } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

interface AlertBody {
  id: string;
  rule: string;
  severity: string;
  depositId: string | null;
  status: string;
  message: string;
  evidence: Record<string, unknown>;
  suggestedAction: { currentTier: number; suggestedTier: number; text: string };
  evidenceHistory?: unknown[];
}

/**
 * One patient with limited scleroderma on colchicine (tier 1), followed over eight visits by caliper.
 * After each visit the exact set of open alerts is checked: what a physician's inbox shows.
 */
describe('change detection over a patient followed for eight visits', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let patientId: string;
  let pulp: string;
  let thumb: string;
  const labels = new Map<string, string>();

  const openAlerts = async (): Promise<string[]> => {
    const res = await t.http().get(`/api/v1/alerts?patientId=${patientId}&limit=200`).set(clinic.physician.auth).expect(200);
    return (res.body.items as AlertBody[])
      .map((a) => `${a.rule} ${a.depositId ? labels.get(a.depositId) : 'patient'} ${a.severity}`)
      .sort();
  };
  const alertOf = async (rule: string, depositId: string | null): Promise<AlertBody> => {
    const res = await t.http().get(`/api/v1/alerts?patientId=${patientId}&limit=200`).set(clinic.physician.auth).expect(200);
    const found = (res.body.items as AlertBody[]).find((a) => a.rule === rule && a.depositId === depositId);
    if (!found) throw new Error(`no open ${rule} alert`);
    const one = await t.http().get(`/api/v1/alerts/${found.id}`).set(clinic.physician.auth).expect(200);
    return one.body as AlertBody;
  };
  const visit = async (body: Record<string, unknown>) =>
    (await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send(body).expect(201)).body as {
      alerts: AlertBody[];
      newDepositIds: string[];
    };
  const pulpAt = (mm: number, extra: Record<string, unknown> = {}) => ({ depositId: pulp, method: 'caliper', longestDiameterMm: mm, ...extra });

  beforeAll(async () => {
    t = await createTestApp();
    clinic = await createClinic(t);
    patientId = await createPatient(t, clinic.staff, { responsiblePhysicianId: clinic.physician.id });
    await t.http().post(`/api/v1/patients/${patientId}/treatments`).set(clinic.staff.auth).send({ kind: 'colchicine', startedOn: '2024-01-01' }).expect(201);
  });
  afterAll(() => t.close());

  it('visit 1 (first visit): a new deposit raises nothing', async () => {
    const v = await visit({ visitDate: '2024-01-10', newDeposits: [newDepositInput({ label: 'R index pulp' }, { longestDiameterMm: 10, painScore: 2 })] });
    [pulp] = v.newDepositIds;
    labels.set(pulp, 'pulp');
    expect(v.alerts).toEqual([]);
    expect(await openAlerts()).toEqual([]);
  });

  it('visit 2: a deposit first found at a follow-up raises NEW_DEPOSIT and, 10 → 16.5 mm in total, BURDEN_GROWTH; colchicine has not run its 4 months, so no treatment failure', async () => {
    const v = await visit({ visitDate: '2024-04-10', evaluations: [pulpAt(10.5, { painScore: 2 })], newDeposits: [newDepositInput({ label: 'L thumb' }, { longestDiameterMm: 6 })] });
    [thumb] = v.newDepositIds;
    labels.set(thumb, 'thumb');
    expect(v.alerts.map((a) => a.rule).sort()).toEqual(['BURDEN_GROWTH', 'NEW_DEPOSIT']);
    expect(await openAlerts()).toEqual(['BURDEN_GROWTH patient warning', 'NEW_DEPOSIT thumb warning']);
    const burden = await alertOf('BURDEN_GROWTH', null);
    expect(burden.suggestedAction).toMatchObject({ currentTier: 1, suggestedTier: 2 });
  });

  it('visit 3: pain 2 → 5 is a single reading, not yet confirmed, so no PAIN_INCREASE and no treatment failure; +3 mm is not growth', async () => {
    const v = await visit({ visitDate: '2024-07-10', evaluations: [pulpAt(13, { painScore: 5 })] });
    // the burden alert (now 19 mm) is updated with the new total, not duplicated
    expect(v.alerts.map((a) => a.rule).sort()).toEqual(['BURDEN_GROWTH']);
    expect(await openAlerts()).toEqual(['BURDEN_GROWTH patient warning', 'NEW_DEPOSIT thumb warning']);
    expect((await alertOf('BURDEN_GROWTH', null)).evidenceHistory).toHaveLength(1);
  });

  it('visit 4: pain 5 again confirms PAIN_INCREASE; +6 mm over the nadir on a rising trend raises DEPOSIT_GROWTH; on tier 1 for 9 months both raise a TREATMENT_FAILURE suggesting tier 2', async () => {
    const v = await visit({ visitDate: '2024-10-10', evaluations: [pulpAt(16, { painScore: 5 })] });
    expect(v.alerts.map((a) => a.rule).sort()).toEqual(['BURDEN_GROWTH', 'DEPOSIT_GROWTH', 'PAIN_INCREASE', 'TREATMENT_FAILURE']);
    expect(await openAlerts()).toEqual([
      'BURDEN_GROWTH patient warning',
      'DEPOSIT_GROWTH pulp warning',
      'NEW_DEPOSIT thumb warning',
      'PAIN_INCREASE pulp warning',
      'TREATMENT_FAILURE pulp high',
    ]);
    const pain = await alertOf('PAIN_INCREASE', pulp);
    expect(pain.message).toBe(
      'Pain at R index pulp 5 and then 5 at the last two visits (2024-07-10, 2024-10-10), against a median of 2 over the 2 readings before them (+3 and +3 points)',
    );
    expect(pain.evidence).toMatchObject({ referenceKind: 'median', referenceCount: 2, confirmation: 'confirmed', painFrom: 2, painTo: 5 });
    expect((pain.evidence.confirmingEvaluationIds as string[]).length).toBe(2);
    const growth = await alertOf('DEPOSIT_GROWTH', pulp);
    expect(growth.message).toBe('R index pulp grew from 10 mm (nadir, 2024-01-10) to 16 mm (+6 mm, +60 %) by caliper');
    expect(growth.evidence).toMatchObject({ referenceKind: 'nadir', settingsVersion: 1 });
    const failure = await alertOf('TREATMENT_FAILURE', pulp);
    expect(failure.suggestedAction).toMatchObject({ currentTier: 1, suggestedTier: 2 });
    expect(failure.evidence).toMatchObject({ failed: ['growth', 'pain'] });
  });

  it('visit 5: +11 mm raises the growth alert to high; ulceration with infection is urgent; SI labs with high corrected calcium raise LAB_ABNORMAL', async () => {
    const v = await visit({
      visitDate: '2025-01-10',
      evaluations: [pulpAt(21, { painScore: 5, ulcerated: true, infectionSigns: true })],
      labs: { calcium: { value: 2.7, unit: 'mmol/L' }, albumin: { value: 35, unit: 'g/L' } },
    });
    // the pain alert gets the new reading as evidence (5 and 5 against the median of 2, 2, 5)
    expect(v.alerts.map((a) => a.rule).sort()).toEqual(['BURDEN_GROWTH', 'COMPLICATION', 'DEPOSIT_GROWTH', 'LAB_ABNORMAL', 'PAIN_INCREASE', 'TREATMENT_FAILURE']);
    expect(await openAlerts()).toEqual([
      'BURDEN_GROWTH patient warning',
      'COMPLICATION pulp urgent',
      'DEPOSIT_GROWTH pulp high',
      'LAB_ABNORMAL patient warning',
      'NEW_DEPOSIT thumb warning',
      'PAIN_INCREASE pulp warning',
      'TREATMENT_FAILURE pulp high',
    ]);
    const growth = await alertOf('DEPOSIT_GROWTH', pulp);
    expect(growth.evidenceHistory).toHaveLength(1);
    const lab = await alertOf('LAB_ABNORMAL', null);
    expect(lab.suggestedAction.suggestedTier).toBe(lab.suggestedAction.currentTier);
  });

  it('after the physician resolves the growth and pain alerts, visit 6 with no new growth and the same pain raises neither again', async () => {
    const growth = await alertOf('DEPOSIT_GROWTH', pulp);
    await t.http().post(`/api/v1/alerts/${growth.id}/resolve`).set(clinic.physician.auth).send({ decision: 'continue', note: 'planned lithotripsy referral' }).expect(200);
    const pain = await alertOf('PAIN_INCREASE', pulp);
    await t.http().post(`/api/v1/alerts/${pain.id}/resolve`).set(clinic.physician.auth).send({ decision: 'continue', note: 'analgesia reviewed' }).expect(200);
    const v = await visit({ visitDate: '2025-04-10', evaluations: [pulpAt(21.5, { painScore: 5, ulcerated: true, infectionSigns: true })] });
    expect(v.alerts.map((a) => a.rule)).not.toContain('DEPOSIT_GROWTH');
    expect(v.alerts.map((a) => a.rule)).not.toContain('PAIN_INCREASE');
    expect(await openAlerts()).not.toContain('DEPOSIT_GROWTH pulp high');
    expect(await openAlerts()).not.toContain('PAIN_INCREASE pulp warning');
  });

  it('visit 7: growth anew against the size at the decision (21 → 32 mm) raises a new DEPOSIT_GROWTH alert, and pain 9 against the readings since the decision (5, 5) a new PAIN_INCREASE at once', async () => {
    const v = await visit({ visitDate: '2025-07-10', evaluations: [pulpAt(32, { painScore: 9, ulcerated: true, infectionSigns: true })] });
    expect(v.alerts.map((a) => a.rule)).toEqual(expect.arrayContaining(['DEPOSIT_GROWTH', 'PAIN_INCREASE']));
    const growth = await alertOf('DEPOSIT_GROWTH', pulp);
    expect(growth.status).toBe('open');
    expect(growth.evidenceHistory).toEqual([]);
    expect(growth.message).toContain('from 21 mm');
    const pain = await alertOf('PAIN_INCREASE', pulp);
    expect(pain.evidenceHistory).toEqual([]);
    expect(pain.message).toBe('Pain at R index pulp 9 at the last visit (2025-07-10), against a median of 5 over the 2 readings before it (+4 points, +80 %)');
    expect(pain.evidence).toMatchObject({ referenceKind: 'median', referenceCount: 2, confirmation: 'immediate' });
  });

  it('lithotripsy (tier 3) for 3 months then growth suggests surgery, with a small test procedure first', async () => {
    await t.http().post(`/api/v1/patients/${patientId}/treatments`).set(clinic.physician.auth).send({ kind: 'lithotripsy', startedOn: '2025-07-20', depositId: pulp }).expect(201);
    await visit({ visitDate: '2025-08-01', evaluations: [pulpAt(30)] });
    await visit({ visitDate: '2025-11-20', evaluations: [pulpAt(42)] });
    const failure = await alertOf('TREATMENT_FAILURE', pulp);
    expect(failure.suggestedAction).toMatchObject({ currentTier: 3, suggestedTier: 4 });
    expect(failure.suggestedAction.text).toContain('consider a small test procedure first; surgical trauma can trigger recurrence');
  });
});
