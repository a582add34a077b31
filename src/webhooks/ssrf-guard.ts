import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Server-side request forgery guard for webhook targets. A URL is accepted only over https, and
 * only when every address its host resolves to is a public unicast address: not loopback, private,
 * shared (CGNAT), link-local (cloud metadata at 169.254.169.254), unspecified, multicast,
 * documentation or otherwise reserved, in IPv4 or IPv6 (IPv4-mapped, NAT64 and 6to4 forms
 * included). Hosts the operator lists in WEBHOOK_ALLOW_HOSTS may use http and any address.
 *
 * The check resolves names (a name can point anywhere), and the delivery connects to the address
 * it checked (see `resolveTarget`), so a name that changes between check and connect (DNS
 * rebinding) cannot reach a forbidden address.
 */

type Kind = 'loopback' | 'private' | 'link-local' | 'unspecified' | 'multicast' | 'reserved';

const RANGES: [Kind, string, number, 'ipv4' | 'ipv6'][] = [
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '100.64.0.0', 10, 'ipv4'], // shared address space (carrier-grade NAT)
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['reserved', '192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
  ['reserved', '192.0.2.0', 24, 'ipv4'], // documentation
  ['reserved', '192.88.99.0', 24, 'ipv4'], // 6to4 relay anycast
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['reserved', '198.18.0.0', 15, 'ipv4'], // benchmarking
  ['reserved', '198.51.100.0', 24, 'ipv4'],
  ['reserved', '203.0.113.0', 24, 'ipv4'],
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['reserved', '240.0.0.0', 4, 'ipv4'], // reserved, and 255.255.255.255 broadcast
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['reserved', '::', 96, 'ipv6'], // IPv4-compatible (deprecated)
  ['reserved', '64:ff9b:1::', 48, 'ipv6'], // local-use NAT64
  ['reserved', '100::', 64, 'ipv6'], // discard
  ['reserved', '2001::', 23, 'ipv6'], // IETF protocol assignments (Teredo, ORCHID, …)
  ['reserved', '2001:db8::', 32, 'ipv6'], // documentation
  ['reserved', '2002::', 16, 'ipv6'], // 6to4: embeds an IPv4 address of any kind
  ['private', 'fc00::', 7, 'ipv6'], // unique local
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['private', 'fec0::', 10, 'ipv6'], // site-local (deprecated)
  ['multicast', 'ff00::', 8, 'ipv6'],
];

const KIND_TEXT: Record<Kind, string> = {
  loopback: 'a loopback',
  private: 'a private',
  'link-local': 'a link-local',
  unspecified: 'an unspecified',
  multicast: 'a multicast',
  reserved: 'a reserved',
};

const LISTS = new Map<Kind, BlockList>();
for (const [kind, network, prefix, family] of RANGES) {
  if (!LISTS.has(kind)) LISTS.set(kind, new BlockList());
  LISTS.get(kind)!.addSubnet(network, prefix, family);
}

/** The IPv4 address an IPv6 address carries in its last 32 bits (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96). */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return null;
  const hi = parseInt(hex[1], 16);
  const lo = parseInt(hex[2], 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** Why an address may not be a webhook target (its kind), or null for a public unicast address. */
export function forbiddenKind(address: string): Kind | null {
  const family = isIP(address);
  if (family === 0) return 'reserved';
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4) return forbiddenKind(v4);
  }
  for (const [kind, list] of LISTS) if (list.check(address, family === 4 ? 'ipv4' : 'ipv6')) return kind;
  return null;
}

export class UnsafeWebhookUrl extends Error {}

/** Resolves a host name to every address it has (a name with several addresses is checked on all). */
export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = async (host) => dnsLookup(host, { all: true, verbatim: true });

export interface UrlPolicy {
  /** lower-case host names (or IP literals) that may use http and any address */
  allowHosts: readonly string[];
  resolve?: Resolver;
  /** how long a name may take to resolve */
  lookupTimeoutMs?: number;
}

export interface CheckedTarget {
  url: URL;
  /** the host as the URL names it, without IPv6 brackets */
  host: string;
  /** the address to connect to: one that passed the check */
  address: string;
  family: 4 | 6;
  allowed: boolean;
}

function bare(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

export function isAllowedHost(host: string, allowHosts: readonly string[]): boolean {
  const h = bare(host.toLowerCase());
  return allowHosts.some((a) => bare(a.toLowerCase()) === h);
}

/** The URL's syntax and scheme alone (no resolution): what can be said without the network. */
export function parseWebhookUrl(raw: string, allowHosts: readonly string[]): { url: URL; host: string; allowed: boolean } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeWebhookUrl('must be an absolute URL (https://…)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UnsafeWebhookUrl('must use https');
  if (url.username || url.password) throw new UnsafeWebhookUrl('must not carry a user name or password');
  const host = bare(url.hostname);
  if (!host) throw new UnsafeWebhookUrl('must name a host');
  const allowed = isAllowedHost(host, allowHosts);
  if (url.protocol === 'http:' && !allowed) throw new UnsafeWebhookUrl('must use https (http only for hosts listed in WEBHOOK_ALLOW_HOSTS)');
  return { url, host, allowed };
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UnsafeWebhookUrl(what)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Checks a webhook URL, resolving its host, and returns the address to connect to. Throws
 * UnsafeWebhookUrl with a sentence for the caller (it names the address, never the host's records).
 */
export async function resolveTarget(raw: string, policy: UrlPolicy): Promise<CheckedTarget> {
  const { url, host, allowed } = parseWebhookUrl(raw, policy.allowHosts);
  const literal = isIP(host);
  let addresses: { address: string; family: number }[];
  if (literal) {
    addresses = [{ address: host, family: literal }];
  } else {
    const resolve = policy.resolve ?? systemResolver;
    try {
      addresses = await withTimeout(resolve(host), policy.lookupTimeoutMs ?? 5000, `host ${host} did not resolve in time`);
    } catch (err) {
      if (err instanceof UnsafeWebhookUrl) throw err;
      throw new UnsafeWebhookUrl(`host ${host} could not be resolved`);
    }
    if (!addresses.length) throw new UnsafeWebhookUrl(`host ${host} could not be resolved`);
  }
  if (!allowed) {
    for (const { address } of addresses) {
      const kind = forbiddenKind(address);
      if (kind) {
        const via = literal ? '' : `${host} resolves to `;
        throw new UnsafeWebhookUrl(`${via}${address}, ${KIND_TEXT[kind]} address: webhooks reach public addresses only (unless the host is listed in WEBHOOK_ALLOW_HOSTS)`);
      }
    }
  }
  const chosen = addresses[0];
  return { url, host, address: chosen.address, family: chosen.family === 6 ? 6 : 4, allowed };
}
