import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClinic, errorFields, type TestClinic } from './support/factories';
import { notificationConfig } from './support/notification-app';
import { createTestApp, type TestApp } from './support/test-app';

/** The subscription API: admins only, the URL checked against SSRF, the secret shown once, every change audited. */
describe('webhook subscriptions', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let other: TestClinic;

  beforeAll(async () => {
    // WEBHOOK_ALLOW_HOSTS=127.0.0.1, no background jobs: nothing is delivered here
    t = await createTestApp(notificationConfig({ backgroundJobs: false }));
    clinic = await createClinic(t, 'Webhook clinic');
    other = await createClinic(t, 'Other webhook clinic');
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>, who = clinic.admin) => t.http().post('/api/v1/webhooks').set(who.auth).send(body);
  const subscriptionCount = async () => (await t.db.query(`SELECT count(*)::int AS n FROM webhook_subscriptions WHERE clinic_id = $1`, [clinic.clinicId]))[0].n as number;

  it('needs only a url: every event, every severity, enabled; the secret is shown once, in whsec_ form', async () => {
    const res = await create({ url: 'https://93.184.215.14/hooks/calcitrack' }).expect(201);
    expect(res.body).toMatchObject({ url: 'https://93.184.215.14/hooks/calcitrack', events: null, minSeverity: null, enabled: true, description: null, version: 1, previousSecretExpiresAt: null, createdBy: clinic.admin.id });
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(res.headers.etag).toBe('"1"');
    const one = await t.http().get(`/api/v1/webhooks/${res.body.id}`).set(clinic.admin.auth).expect(200);
    expect(one.body.secret).toBeUndefined();
    expect(JSON.stringify(one.body)).not.toContain(res.body.secret.slice(6));
    const list = await t.http().get('/api/v1/webhooks').set(clinic.admin.auth).expect(200);
    expect(list.body.items.map((w: { id: string }) => w.id)).toContain(res.body.id);
    expect(JSON.stringify(list.body)).not.toContain(res.body.secret.slice(6));
  });

  it('keeps optional filters: events and a minimum severity', async () => {
    const res = await create({ url: 'https://93.184.215.14/pager', description: 'Paging system', events: ['alert.raised', 'alert.escalated'], minSeverity: 'urgent', enabled: false }).expect(201);
    expect(res.body).toMatchObject({ description: 'Paging system', events: ['alert.raised', 'alert.escalated'], minSeverity: 'urgent', enabled: false });
  });

  it.each([
    ['https://127.0.0.1.nip.invalid/hook', 'url', /could not be resolved/],
    ['https://10.0.0.1/hook', 'url', /10\.0\.0\.1, a private address/],
    ['https://169.254.169.254/latest/meta-data/', 'url', /169\.254\.169\.254, a link-local address/],
    ['https://[::1]/hook', 'url', /::1, a loopback address/],
    ['https://[::ffff:10.0.0.1]/hook', 'url', /a private address/],
    ['https://localhost/hook', 'url', /localhost resolves to (127\.0\.0\.1|::1), a loopback address/],
    ['http://93.184.215.14/hook', 'url', /must use https/],
    ['https://user:pw@93.184.215.14/hook', 'url', /user name or password/],
    ['not a url', 'url', /absolute URL/],
  ])('refuses %s with a 400 naming the url, storing nothing', async (url, field, message) => {
    const before = await subscriptionCount();
    const res = await create({ url }).expect(400);
    expect(errorFields(res.body)).toEqual([field]);
    expect(res.body.message).toMatch(message);
    expect(await subscriptionCount()).toBe(before);
  });

  it('refuses 127.0.0.1 over https as well unless the host is listed, and lets the listed host use http', async () => {
    // this app lists 127.0.0.1 in WEBHOOK_ALLOW_HOSTS: http to it is fine, the name localhost is not listed
    await create({ url: 'http://127.0.0.1:9/hook' }).expect(201);
    await create({ url: 'http://localhost:9/hook' }).expect(400);
    const strict = await createTestApp(notificationConfig({ backgroundJobs: false, allowHosts: [] }));
    try {
      const res = await strict.http().post('/api/v1/webhooks').set(clinic.admin.auth).send({ url: 'https://127.0.0.1/hook' }).expect(400);
      expect(res.body.message).toMatch(/127\.0\.0\.1, a loopback address/);
    } finally {
      await strict.close();
    }
  });

  it('refuses unknown fields and bad filters, naming them', async () => {
    expect(errorFields((await create({ url: 'https://93.184.215.14/x', secret: 'whsec_mine' }).expect(400)).body)).toEqual(['secret']);
    expect(errorFields((await create({ url: 'https://93.184.215.14/x', events: ['alert.deleted'] }).expect(400)).body)).toEqual(['events']);
    expect(errorFields((await create({ url: 'https://93.184.215.14/x', events: [] }).expect(400)).body)).toEqual(['events']);
    expect(errorFields((await create({ url: 'https://93.184.215.14/x', minSeverity: 'critical' }).expect(400)).body)).toEqual(['minSeverity']);
    expect(errorFields((await create({}).expect(400)).body)).toEqual(['url']);
  });

  it('is for admins only; another clinic\'s subscription is a 404', async () => {
    await create({ url: 'https://93.184.215.14/x' }, clinic.physician).expect(403);
    await t.http().get('/api/v1/webhooks').set(clinic.staff.auth).expect(403);
    const mine = (await create({ url: 'https://93.184.215.14/mine' }).expect(201)).body.id as string;
    await t.http().get(`/api/v1/webhooks/${mine}`).set(other.admin.auth).expect(404);
    await t.http().patch(`/api/v1/webhooks/${mine}`).set(other.admin.auth).send({ enabled: false }).expect(404);
    await t.http().delete(`/api/v1/webhooks/${mine}`).set(other.admin.auth).expect(404);
    await t.http().get(`/api/v1/webhooks/${mine}/deliveries`).set(other.admin.auth).expect(404);
    expect((await t.http().get(`/api/v1/webhooks/${mine}`).set(clinic.admin.auth).expect(200)).body.enabled).toBe(true);
  });

  it('changes a subscription with PATCH (the URL checked again; If-Match honoured), and every change is audited', async () => {
    const created = (await create({ url: 'https://93.184.215.14/a' }).expect(201)).body;
    const patched = await t.http().patch(`/api/v1/webhooks/${created.id}`).set(clinic.admin.auth).set('If-Match', '"1"').send({ minSeverity: 'high', events: null, description: 'EHR' }).expect(200);
    expect(patched.body).toMatchObject({ minSeverity: 'high', events: null, description: 'EHR', version: 2, url: 'https://93.184.215.14/a' });
    await t.http().patch(`/api/v1/webhooks/${created.id}`).set(clinic.admin.auth).set('If-Match', '"1"').send({ enabled: false }).expect(412);
    const refused = await t.http().patch(`/api/v1/webhooks/${created.id}`).set(clinic.admin.auth).send({ url: 'https://192.168.0.10/a' }).expect(400);
    expect(errorFields(refused.body)).toEqual(['url']);
    expect((await t.http().get(`/api/v1/webhooks/${created.id}`).set(clinic.admin.auth).expect(200)).body).toMatchObject({ url: 'https://93.184.215.14/a', version: 2 });

    const rotated = await t.http().post(`/api/v1/webhooks/${created.id}/rotate-secret`).set(clinic.admin.auth).send({}).expect(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.secret);
    const overlapEnds = new Date(rotated.body.previousSecretExpiresAt).getTime();
    expect(Math.abs(overlapEnds - Date.now() - 24 * 3600_000)).toBeLessThan(60_000);
    const retired = await t.http().post(`/api/v1/webhooks/${created.id}/rotate-secret`).set(clinic.admin.auth).send({ overlapHours: 0 }).expect(200);
    expect(retired.body.previousSecretExpiresAt).toBeNull();
    await t.http().post(`/api/v1/webhooks/${created.id}/rotate-secret`).set(clinic.admin.auth).send({ overlapHours: 500 }).expect(400);

    await t.http().delete(`/api/v1/webhooks/${created.id}`).set(clinic.admin.auth).expect(204);
    await t.http().get(`/api/v1/webhooks/${created.id}`).set(clinic.admin.auth).expect(404);
    const list = await t.http().get('/api/v1/webhooks?limit=200').set(clinic.admin.auth).expect(200);
    expect(list.body.items.map((w: { id: string }) => w.id)).not.toContain(created.id);

    const trail = await t.db.query(
      `SELECT action, outcome, status_code, actor_id FROM audit_events WHERE clinic_id = $1 AND record_id = $2 ORDER BY seq`,
      [clinic.clinicId, created.id],
    );
    expect(trail.map((e: { action: string; status_code: number }) => `${e.action} ${e.status_code}`)).toEqual([
      'webhook.create 201',
      'webhook.update 200',
      'webhook.update 412',
      'webhook.update 400',
      'webhook.read 200',
      'webhook.rotate-secret 200',
      'webhook.rotate-secret 200',
      'webhook.rotate-secret 400',
      'webhook.delete 204',
      'webhook.read 404',
    ]);
    expect(trail.every((e: { actor_id: string }) => e.actor_id === clinic.admin.id)).toBe(true);
  });

  it('pages the list and the delivery log; a resend of a missing delivery is a 404', async () => {
    for (let i = 0; i < 3; i++) await create({ url: `https://93.184.215.14/page-${i}` }).expect(201);
    const first = await t.http().get('/api/v1/webhooks?limit=2').set(clinic.admin.auth).expect(200);
    expect(first.body.items).toHaveLength(2);
    const second = await t.http().get(`/api/v1/webhooks?limit=2&cursor=${first.body.nextCursor}`).set(clinic.admin.auth).expect(200);
    expect(second.body.items[0].id).not.toBe(first.body.items[1].id);
    const hook = first.body.items[0].id as string;
    expect((await t.http().get(`/api/v1/webhooks/${hook}/deliveries`).set(clinic.admin.auth).expect(200)).body).toEqual({ items: [], nextCursor: null });
    await t.http().get(`/api/v1/webhooks/${hook}/deliveries?state=lost`).set(clinic.admin.auth).expect(400);
    await t.http().post(`/api/v1/webhooks/${hook}/deliveries/6f1d3c1e-1111-4a4a-9b9b-123456789abc/resend`).set(clinic.admin.auth).expect(404);
  });
});

describe('notification settings and preferences', () => {
  let t: TestApp;
  let clinic: TestClinic;

  beforeAll(async () => {
    t = await createTestApp(notificationConfig({ backgroundJobs: false }));
    clinic = await createClinic(t, 'Settings clinic');
  });
  afterAll(() => t.close());

  it('start on version 1 (e-mail for high and above, daily digest); an admin change is a new version; a no-op stores nothing', async () => {
    const initial = await t.http().get('/api/v1/notification-settings').set(clinic.staff.auth).expect(200);
    expect(initial.body).toEqual({ version: 1, settings: { emailAlerts: true, emailMinSeverity: 'high', dailyDigest: true }, createdAt: null, createdBy: null, mailConfigured: false });
    const changed = await t.http().put('/api/v1/notification-settings').set(clinic.admin.auth).set('If-Match', '"1"').send({ emailMinSeverity: 'urgent' }).expect(200);
    expect(changed.body).toMatchObject({ version: 2, settings: { emailAlerts: true, emailMinSeverity: 'urgent', dailyDigest: true }, createdBy: clinic.admin.id });
    const same = await t.http().put('/api/v1/notification-settings').set(clinic.admin.auth).send({ emailMinSeverity: 'urgent' }).expect(200);
    expect(same.body.version).toBe(2);
    await t.http().put('/api/v1/notification-settings').set(clinic.admin.auth).set('If-Match', '"1"').send({ dailyDigest: false }).expect(412);
    await t.http().put('/api/v1/notification-settings').set(clinic.physician.auth).send({ dailyDigest: false }).expect(403);
    expect(errorFields((await t.http().put('/api/v1/notification-settings').set(clinic.admin.auth).send({ emailMinSeverity: 'severe' }).expect(400)).body)).toEqual(['emailMinSeverity']);
    expect(errorFields((await t.http().put('/api/v1/notification-settings').set(clinic.admin.auth).send({ smsAlerts: true }).expect(400)).body)).toEqual(['smsAlerts']);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM notification_settings WHERE clinic_id = $1`, [clinic.clinicId]);
    expect(n).toBe(1);
  });

  it('each user opts in or out of the daily digest for themselves', async () => {
    const mine = { userId: clinic.physician.id };
    expect((await t.http().get('/api/v1/notification-preferences').set(clinic.physician.auth).expect(200)).body).toEqual({ ...mine, dailyDigest: true });
    expect((await t.http().put('/api/v1/notification-preferences').set(clinic.physician.auth).send({ dailyDigest: false }).expect(200)).body).toEqual({ ...mine, dailyDigest: false });
    expect((await t.http().get('/api/v1/notification-preferences').set(clinic.physician.auth).expect(200)).body).toEqual({ ...mine, dailyDigest: false });
    expect((await t.http().get('/api/v1/notification-preferences').set(clinic.staff.auth).expect(200)).body).toEqual({ userId: clinic.staff.id, dailyDigest: true });
    expect(errorFields((await t.http().put('/api/v1/notification-preferences').set(clinic.physician.auth).send({}).expect(400)).body)).toEqual(['dailyDigest']);
  });
});

describe('the start-up log', () => {
  it('says mail is off when SMTP_URL is not set, and that this instance runs no background jobs when they are off', async () => {
    const lines: string[] = [];
    const t = await createTestApp(notificationConfig({ backgroundJobs: false, smtpUrl: null }), { write: (line: string) => void lines.push(line) });
    await t.close();
    const messages = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(messages).toContain('mail is off: SMTP_URL is not set');
    expect(messages.some((m) => m.startsWith('background jobs are off'))).toBe(true);
  });
});
