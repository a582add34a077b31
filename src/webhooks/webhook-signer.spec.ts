import { describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret, signDelivery } from './webhook-signer';

describe('Standard Webhooks signatures', () => {
  const body = JSON.stringify({ type: 'alert.raised', data: { alertId: 'a1' } });

  it('makes secrets in the whsec_ form, 32 random bytes, never the same twice', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(a);
  });

  it('signs so that the reference library verifies the delivery', () => {
    const secret = generateWebhookSecret();
    const headers = signDelivery('3f0c9a52-6f1e-4c55-9a43-0c1d2e3f4a5b', new Date(), body, [secret]);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('while a secret is rotated out, signs with both, so a receiver with either verifies', () => {
    const [oldSecret, newSecret] = [generateWebhookSecret(), generateWebhookSecret()];
    const headers = signDelivery('msg-1', new Date(), body, [newSecret, oldSecret]);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(oldSecret).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(newSecret).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers })).toThrow();
  });

  it('fails verification when the body, id or timestamp is altered', () => {
    const secret = generateWebhookSecret();
    const headers = signDelivery('msg-2', new Date(), body, [secret]);
    const wh = new Webhook(secret);
    expect(() => wh.verify(body.replace('a1', 'a2'), { ...headers })).toThrow();
    expect(() => wh.verify(body, { ...headers, 'webhook-id': 'msg-3' })).toThrow();
    expect(() => wh.verify(body, { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) + 1) })).toThrow();
  });

  it('refuses to sign without a secret', () => {
    expect(() => signDelivery('msg', new Date(), body, [])).toThrow(/at least one secret/);
  });
});
