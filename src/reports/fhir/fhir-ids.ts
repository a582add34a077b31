import { createHash } from 'node:crypto';

/** The project's name-based UUID namespace (a random v4, fixed forever: changing it renames every resource). */
const NAMESPACE = '3c1f7a52-8d7e-4b0a-9f61-2f4e8c9b7d10';

/**
 * A UUID (version 5, RFC 9562) named by a record id and a part, e.g. (evaluation id, 'longest-diameter'):
 * the resources a record yields keep the same ids every time the report is made.
 */
export function namedUuid(recordId: string, part: string): string {
  const ns = Buffer.from(NAMESPACE.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(ns).update(`${recordId}/${part}`, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function urnOf(id: string): string {
  return `urn:uuid:${id}`;
}
