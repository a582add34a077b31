import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WebhookReceiver } from '../../test/support/webhook-receiver';
import { resolveTarget } from './ssrf-guard';
import { signDelivery, generateWebhookSecret } from './webhook-signer';
import { postDelivery } from './webhook-sender';

/** The sender against a real HTTP receiver on 127.0.0.1 (allowed by the policy, as WEBHOOK_ALLOW_HOSTS would). */
describe('posting a signed delivery', () => {
  let receiver: WebhookReceiver;
  const secret = generateWebhookSecret();
  const policy = { allowHosts: ['127.0.0.1', 'localhost'] };
  const body = JSON.stringify({ type: 'alert.raised', data: { alertId: 'a1' } });

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    receiver.endpoint('/hook', secret);
  });
  afterAll(() => receiver.close());

  const post = async (id: string, timeoutMs = 2000) =>
    postDelivery(await resolveTarget(receiver.url('/hook'), policy), { ...signDelivery(id, new Date(), body, [secret]) }, body, timeoutMs);

  it('delivers: the receiver verifies the signature and answers 2xx', async () => {
    const result = await post('msg-ok');
    expect(result).toMatchObject({ delivered: true, statusCode: 204, error: null });
    expect(receiver.received.at(-1)).toMatchObject({ id: 'msg-ok', verified: true });
    expect(receiver.processed('/hook')).toContain('msg-ok');
  });

  it('reports a 500 as a failed attempt with its status', async () => {
    receiver.plan('/hook', 500);
    expect(await post('msg-500')).toMatchObject({ delivered: false, statusCode: 500, error: 'HTTP 500' });
  });

  it('gives up on a receiver that does not answer in time', async () => {
    receiver.plan('/hook', 'hang');
    const result = await post('msg-hang', 300);
    expect(result).toMatchObject({ delivered: false, statusCode: null, error: 'no response within 300 ms' });
    expect(result.durationMs).toBeGreaterThanOrEqual(290);
  });

  it('reports a refused connection', async () => {
    const target = await resolveTarget(receiver.url('/hook'), policy);
    await receiver.pause();
    try {
      expect(await postDelivery(target, {}, body, 2000)).toMatchObject({ delivered: false, statusCode: null, error: 'ECONNREFUSED' });
    } finally {
      await receiver.resume();
    }
  });

  it('connects to the checked address, never resolving the name again', async () => {
    // a name no DNS knows, checked as 127.0.0.1: the connection reaches the receiver only because it is pinned
    const url = receiver.url('/hook').replace('127.0.0.1', 'hooks.calcitrack.test');
    const target = await resolveTarget(url, { allowHosts: ['hooks.calcitrack.test'], resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    expect(target.address).toBe('127.0.0.1');
    const result = await postDelivery(target, { ...signDelivery('msg-pinned', new Date(), body, [secret]) }, body, 2000);
    expect(result.delivered).toBe(true);
  });
});
