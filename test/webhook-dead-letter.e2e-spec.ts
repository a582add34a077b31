import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClinic, createPatient, isoDateFromToday, newDepositInput, type TestClinic } from './support/factories';
import { WebhookDeliveryWorker } from '../src/webhooks/webhook-delivery.worker';
import { createNotificationApp, eventually } from './support/notification-app';
import type { TestApp } from './support/test-app';

// The visits are recent (isoDateFromToday) so that the daily OVERDUE_REVIEW pass (run once when the
// app starts, and hourly) finds nothing overdue: its alerts would be notifications of their own,
// and these tests count the deliveries.
import { WebhookReceiver } from './support/webhook-receiver';

interface Delivery {
  id: string;
  webhookId: string;
  state: string;
  attempts: number;
  attemptLog: { attempt: number; outcome: string; statusCode: number | null; startedAt: string; durationMs: number | null }[];
}

/**
 * A receiver that stays down: the delivery is dead once it has failed for the give-up period (a
 * second here, a day in production), the deliveries behind it go on, an admin sees the dead one
 * and resends it with its webhook-id; a paused subscription keeps its deliveries until resumed.
 */
describe('dead deliveries, resend, pause and resume', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await createNotificationApp({ retryBaseSeconds: 0.2, giveUpAfterSeconds: 1 });
    clinic = await createClinic(t, 'Dead letter clinic');
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const deliveries = async (hookId: string, query = ''): Promise<Delivery[]> =>
    (await t.http().get(`/api/v1/webhooks/${hookId}/deliveries?limit=200${query}`).set(clinic.admin.auth).expect(200)).body.items;

  /** A follow-up visit with a new deposit (NEW_DEPOSIT raised, BURDEN_GROWTH raised or updated); returns the alerts raised or updated, NEW_DEPOSIT first. */
  async function raiseAlerts(patientId: string, label: string, visitDate: string): Promise<string[]> {
    const res = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send({ visitDate, newDeposits: [newDepositInput({ label })] }).expect(201);
    const alerts: { id: string; rule: string }[] = res.body.alerts;
    return [...alerts.filter((a) => a.rule === 'NEW_DEPOSIT'), ...alerts.filter((a) => a.rule !== 'NEW_DEPOSIT')].map((a) => a.id);
  }

  const alertOf = (webhookId: string) => (receiver.received.find((r) => r.id === webhookId)?.body as { data: { alertId: string } } | undefined)?.data.alertId;

  it('gives up after the give-up period, lets the next delivery through, and resends the dead one with the same webhook-id', async () => {
    receiver.endpoint('/down');
    const hook = (await t.http().post('/api/v1/webhooks').set(clinic.admin.auth).send({ url: receiver.url('/down') }).expect(201)).body;
    receiver.setSecret('/down', hook.secret);
    receiver.plan('/down', ...Array<500>(200).fill(500));
    const patientId = await createPatient(t, clinic.staff);
    await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send({ visitDate: isoDateFromToday(-90), newDeposits: [newDepositInput()] }).expect(201);
    const second = await raiseAlerts(patientId, 'second', isoDateFromToday(-60));
    const queued = await eventually(async () => {
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE clinic_id = $1 AND subscription_id = $2`, [clinic.clinicId, hook.id]);
      return n === second.length ? (n as number) : undefined;
    }, 'the deliveries of the visit');

    // one after the other, each fails for the give-up period and is dead
    const deadOnes = await eventually(async () => {
      const found = await deliveries(hook.id, '&state=dead');
      return found.length === queued ? found : undefined;
    }, 'every delivery to be dead', 30_000);
    const dead = deadOnes.at(-1)!; // newest first: the last is the oldest
    // retried, and given up once it had failed for the give-up period (1 s here)
    expect(dead.attempts).toBeGreaterThanOrEqual(2);
    expect(dead.attemptLog.every((a) => a.outcome === 'failed' && a.statusCode === 500)).toBe(true);
    const [firstTry, lastTry] = [dead.attemptLog[0], dead.attemptLog.at(-1)!];
    expect(new Date(lastTry.startedAt).getTime() + (lastTry.durationMs ?? 0) - new Date(firstTry.startedAt).getTime()).toBeGreaterThanOrEqual(995);
    expect(dead.attemptLog.map((a) => a.attempt)).toEqual(dead.attemptLog.map((_, i) => i + 1));

    // the receiver is back: a new notification is delivered although the dead ones are older
    receiver.clearPlan('/down');
    const [third] = await raiseAlerts(patientId, 'third', isoDateFromToday(-30)); // NEW_DEPOSIT (the burden alert is only updated)
    await eventually(() => receiver.processed('/down').length === 1 || undefined, 'the next delivery');
    expect(receiver.processed('/down').map(alertOf)).toEqual([third]);
    expect(await deliveries(hook.id, '&state=dead')).toHaveLength(queued);

    // resend: the same webhook-id, pending again, delivered; its attempts carry on from the dead ones
    const resent = await t.http().post(`/api/v1/webhooks/${hook.id}/deliveries/${dead.id}/resend`).set(clinic.admin.auth).expect(200);
    expect(resent.body).toMatchObject({ id: dead.id, webhookId: dead.webhookId, state: 'pending' });
    await t.http().post(`/api/v1/webhooks/${hook.id}/deliveries/${dead.id}/resend`).set(clinic.admin.auth).expect(409);
    await eventually(() => receiver.processed('/down').includes(dead.webhookId) || undefined, 'the resent delivery');
    // the receiver has it a moment before the worker commits the outcome
    const after = await eventually(async () => {
      const found = (await deliveries(hook.id)).find((d) => d.id === dead.id)!;
      return found.state === 'delivered' ? found : undefined;
    }, 'the resent delivery to be marked delivered');
    expect(after.attemptLog.at(-1)).toMatchObject({ attempt: dead.attempts + 1, outcome: 'delivered', statusCode: 204 });
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE clinic_id = $1 AND action = 'webhook-delivery.resend' AND record_id = $2 AND status_code = 200`, [clinic.clinicId, dead.id]);
    expect(n).toBe(1);
  });

});

describe('pausing, resuming and deleting a subscription with deliveries waiting', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await createNotificationApp();
    clinic = await createClinic(t, 'Pause clinic');
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const pendingOf = async (hookId: string): Promise<number> =>
    (await t.db.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE clinic_id = $1 AND subscription_id = $2 AND state = 'pending'`, [clinic.clinicId, hookId]))[0].n;
  const failedAttempts = async (hookId: string): Promise<number> =>
    (
      await t.db.query(
        `SELECT count(*)::int AS n FROM webhook_delivery_attempts a JOIN webhook_deliveries d ON d.clinic_id = a.clinic_id AND d.id = a.delivery_id
          WHERE d.clinic_id = $1 AND d.subscription_id = $2 AND a.outcome = 'failed'`,
        [clinic.clinicId, hookId],
      )
    )[0].n;
  const notificationsOf = async (hookId: string): Promise<string[]> =>
    (await t.db.query(`SELECT notification_id FROM webhook_deliveries WHERE clinic_id = $1 AND subscription_id = $2 ORDER BY notification_seq`, [clinic.clinicId, hookId])).map(
      (r: { notification_id: string }) => r.notification_id,
    );

  it('a paused subscription keeps its deliveries, attempts none, and delivers them in order once resumed; a delete cancels what waits', async () => {
    receiver.endpoint('/paused');
    const hook = (await t.http().post('/api/v1/webhooks').set(clinic.admin.auth).send({ url: receiver.url('/paused') }).expect(201)).body;
    receiver.setSecret('/paused', hook.secret);
    receiver.plan('/paused', 500);
    const patientId = await createPatient(t, clinic.staff);
    await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send({ visitDate: isoDateFromToday(-90), newDeposits: [newDepositInput()] }).expect(201);
    await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send({ visitDate: isoDateFromToday(-60), newDeposits: [newDepositInput({ label: 'a1' })] }).expect(201);
    await eventually(async () => (await failedAttempts(hook.id)) === 1 || undefined, 'the first, failed attempt');

    await t.http().patch(`/api/v1/webhooks/${hook.id}`).set(clinic.admin.auth).send({ enabled: false }).expect(200);
    const waiting = await notificationsOf(hook.id);
    expect(await pendingOf(hook.id)).toBe(waiting.length);
    // paused: the dispatcher does not offer it, and a worker handed it attempts nothing
    const due: { id: string }[] = await t.db.query(`SELECT id FROM webhook_subscriptions_due(1000)`);
    expect(due.map((d) => d.id)).not.toContain(hook.id);
    expect(await t.app.get(WebhookDeliveryWorker).drain(clinic.clinicId, hook.id)).toBe(0);
    expect(await pendingOf(hook.id)).toBe(waiting.length);

    await t.http().patch(`/api/v1/webhooks/${hook.id}`).set(clinic.admin.auth).send({ enabled: true }).expect(200);
    await eventually(() => receiver.processed('/paused').length === waiting.length || undefined, 'the deliveries once resumed');
    expect(receiver.processed('/paused')).toEqual(waiting);
    await eventually(async () => (await pendingOf(hook.id)) === 0 || undefined, 'the outcomes to be committed');

    receiver.plan('/paused', 500);
    await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send({ visitDate: isoDateFromToday(-30), newDeposits: [newDepositInput({ label: 'a2' })] }).expect(201);
    await eventually(async () => (await failedAttempts(hook.id)) === 2 || undefined, 'a failed attempt of the next delivery');
    await t.http().delete(`/api/v1/webhooks/${hook.id}`).set(clinic.admin.auth).expect(204);
    const states = await t.db.query(`SELECT state FROM webhook_deliveries WHERE clinic_id = $1 AND subscription_id = $2 ORDER BY notification_seq`, [clinic.clinicId, hook.id]);
    const later = (await notificationsOf(hook.id)).length - waiting.length;
    expect(later).toBeGreaterThan(0);
    expect(states.map((r: { state: string }) => r.state)).toEqual([...waiting.map(() => 'delivered'), ...Array(later).fill('cancelled')]);
    expect(await t.app.get(WebhookDeliveryWorker).drain(clinic.clinicId, hook.id)).toBe(0);
  });
});
