import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): each delivery carries
 * `webhook-id` (the notification's id, the same on every retry: receivers deduplicate on it),
 * `webhook-timestamp` (seconds) and `webhook-signature`, `v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">` per secret. While a rotated-out secret overlaps the new one, both sign,
 * space-separated, so receivers verify with either.
 */

const SECRET_BYTES = 32;

/** A new signing secret in the specification's form: `whsec_` and base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export function signDelivery(messageId: string, at: Date, body: string, secrets: readonly string[]): SignedHeaders {
  if (!secrets.length) throw new Error('a delivery needs at least one secret');
  const seconds = Math.floor(at.getTime() / 1000);
  const timestamp = new Date(seconds * 1000);
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(seconds),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(messageId, timestamp, body)).join(' '),
  };
}
