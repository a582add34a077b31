import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPatient, newDepositInput, type TestClinic } from './support/factories';
import { createNotificationApp, createNotificationClinic, eventually } from './support/notification-app';
import type { TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * Two service instances on one database, both running the dispatcher and the delivery workers:
 * every notification reaches each subscription once, one delivery at a time, in order.
 */
describe('two instances deliver each notification once', () => {
  let a: TestApp;
  let b: TestApp;
  let clinic: TestClinic;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    // a generous timeout: no attempt is retried, so a notification seen twice would be a double delivery
    a = await createNotificationApp({ timeoutMs: 10_000 });
    b = await createNotificationApp({ timeoutMs: 10_000 });
    clinic = await createNotificationClinic(a, 'Two instances clinic');
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await receiver.close();
  });

  it('with visits logged on both, each subscription receives every notification exactly once, never two at once, in order', async () => {
    const paths = ['/ehr', '/pager'];
    const hooks: string[] = [];
    for (const path of paths) {
      // a slow receiver: two deliveries to it at once would overlap and be seen
      receiver.endpoint(path, null, 40);
      const res = await a.http().post('/api/v1/webhooks').set(clinic.admin.auth).send({ url: receiver.url(path) }).expect(201);
      receiver.setSecret(path, res.body.secret);
      hooks.push(res.body.id);
    }
    const patients = await Promise.all([0, 1, 2, 3].map(() => createPatient(a, clinic.staff)));
    for (const [i, patientId] of patients.entries()) {
      const app = i % 2 ? b : a;
      await app.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send({ visitDate: '2024-01-10', newDeposits: [newDepositInput()] }).expect(201);
    }
    await Promise.all(
      patients.map((patientId, i) =>
        (i % 2 ? a : b)
          .http()
          .post(`/api/v1/patients/${patientId}/visits`)
          .set(clinic.staff.auth)
          .send({ visitDate: '2024-04-10', newDeposits: [newDepositInput({ label: 'L thumb' }), newDepositInput({ label: 'R toe', site: 'toe' })] })
          .expect(201),
      ),
    );
    const notifications: string[] = (await a.db.query(`SELECT id FROM notifications WHERE clinic_id = $1 ORDER BY seq`, [clinic.clinicId])).map((r: { id: string }) => r.id);
    expect(notifications.length).toBeGreaterThanOrEqual(8);

    for (const [i, path] of paths.entries()) {
      await eventually(() => receiver.processed(path).length === notifications.length || undefined, `every notification at ${path}`, 30_000);
      const got = receiver.received.filter((r) => r.path === path);
      expect(got.every((r) => r.verified && r.answered === 'ok')).toBe(true);
      // once each: no retry was needed, so no notification came twice
      expect(got.map((r) => r.id).sort()).toEqual([...notifications].sort());
      expect(receiver.maxConcurrent(path)).toBe(1);
      // in the subscription's order (the notifications' order)
      const order: string[] = (
        await a.db.query(`SELECT notification_id FROM webhook_deliveries WHERE clinic_id = $1 AND subscription_id = $2 ORDER BY notification_seq`, [clinic.clinicId, hooks[i]])
      ).map((r: { notification_id: string }) => r.notification_id);
      expect(receiver.processed(path)).toEqual(order);
    }
    const attempts = await a.db.query(
      `SELECT count(*)::int AS n, count(DISTINCT delivery_id)::int AS deliveries FROM webhook_delivery_attempts WHERE clinic_id = $1`,
      [clinic.clinicId],
    );
    expect(attempts[0]).toEqual({ n: notifications.length * 2, deliveries: notifications.length * 2 });
  });
});
