import { describe, expect, it } from '@jest/globals';
import { forbiddenKind, resolveTarget, UnsafeWebhookUrl, type Resolver } from './ssrf-guard';

/** A resolver that answers from a table (the unit tests never touch the network). */
function table(records: Record<string, string[]>): Resolver {
  return async (host) => {
    const addresses = records[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const resolve = table({
  'hooks.example.org': ['93.184.215.14'],
  'dual.example.org': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'sneaky.example.org': ['93.184.215.14', '10.1.2.3'],
  'internal.example.org': ['192.168.1.20'],
  'metadata.example.org': ['169.254.169.254'],
  'v6-loopback.example.org': ['::1'],
  'mapped.example.org': ['::ffff:127.0.0.1'],
  'lab.internal': ['10.0.0.7'],
});

describe('forbiddenKind: which addresses a webhook may not reach', () => {
  it.each([
    ['127.0.0.1', 'loopback', 'IPv4 loopback'],
    ['127.255.1.2', 'loopback', 'anywhere in 127/8'],
    ['10.0.0.1', 'private', 'RFC 1918 10/8'],
    ['172.16.5.4', 'private', 'RFC 1918 172.16/12'],
    ['172.31.255.255', 'private', 'top of 172.16/12'],
    ['192.168.0.1', 'private', 'RFC 1918 192.168/16'],
    ['100.64.0.1', 'private', 'carrier-grade NAT'],
    ['169.254.169.254', 'link-local', 'cloud metadata service'],
    ['0.0.0.0', 'unspecified', 'unspecified IPv4'],
    ['224.0.0.251', 'multicast', 'mDNS multicast'],
    ['255.255.255.255', 'reserved', 'broadcast'],
    ['192.0.2.10', 'reserved', 'documentation range'],
    ['::1', 'loopback', 'IPv6 loopback'],
    ['::', 'unspecified', 'unspecified IPv6'],
    ['fe80::1', 'link-local', 'IPv6 link-local'],
    ['fd12:3456::1', 'private', 'IPv6 unique local'],
    ['ff02::1', 'multicast', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'loopback', 'IPv4-mapped loopback, dotted'],
    ['::ffff:7f00:1', 'loopback', 'IPv4-mapped loopback, hex'],
    ['::ffff:a9fe:a9fe', 'link-local', 'IPv4-mapped metadata address'],
    ['64:ff9b::a00:1', 'private', 'NAT64 of 10.0.0.1'],
    ['2002:7f00:1::1', 'reserved', '6to4 (may embed any IPv4 address)'],
    ['2001:db8::1', 'reserved', 'IPv6 documentation'],
    ['not-an-address', 'reserved', 'not an address at all'],
  ])('%s is %s (%s)', (address, kind) => {
    expect(forbiddenKind(address)).toBe(kind);
  });

  it.each([
    ['93.184.215.14', 'a public IPv4 address'],
    ['8.8.8.8', 'a public resolver'],
    ['172.32.0.1', 'just above 172.16/12'],
    ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', 'a public IPv6 address'],
    ['::ffff:93.184.215.14', 'an IPv4-mapped public address'],
  ])('%s is allowed (%s)', (address) => {
    expect(forbiddenKind(address)).toBeNull();
  });
});

describe('resolveTarget: a webhook URL checked as it will be reached', () => {
  const policy = { allowHosts: [] as string[], resolve };

  it.each([
    ['https://127.0.0.1/hook', /127\.0\.0\.1, a loopback address/],
    ['https://10.0.0.1/hook', /10\.0\.0\.1, a private address/],
    ['https://169.254.169.254/latest/meta-data', /169\.254\.169\.254, a link-local address/],
    ['https://[::1]:8443/hook', /::1, a loopback address/],
    ['https://[::ffff:127.0.0.1]/hook', /a loopback address/],
    ['https://0x7f.1/hook', /127\.0\.0\.1, a loopback address/],
    ['https://2130706433/hook', /127\.0\.0\.1, a loopback address/],
    ['https://internal.example.org/hook', /internal\.example\.org resolves to 192\.168\.1\.20, a private address/],
    ['https://metadata.example.org/', /a link-local address/],
    ['https://v6-loopback.example.org/', /resolves to ::1, a loopback address/],
    ['https://mapped.example.org/', /a loopback address/],
    ['https://sneaky.example.org/', /resolves to 10\.1\.2\.3, a private address/],
    ['http://hooks.example.org/hook', /must use https/],
    ['ftp://hooks.example.org/hook', /must use https/],
    ['https://user:secret@hooks.example.org/hook', /user name or password/],
    ['hooks.example.org/hook', /absolute URL/],
    ['https://nowhere.example.org/hook', /could not be resolved/],
  ])('refuses %s', async (url, message) => {
    await expect(resolveTarget(url, policy)).rejects.toThrow(UnsafeWebhookUrl);
    await expect(resolveTarget(url, policy)).rejects.toThrow(message);
  });

  it('accepts an https URL whose every address is public, and connects to a checked address', async () => {
    const target = await resolveTarget('https://dual.example.org/hooks/calcitrack?x=1', policy);
    expect(target).toMatchObject({ host: 'dual.example.org', address: '93.184.215.14', family: 4, allowed: false });
    expect(target.url.pathname).toBe('/hooks/calcitrack');
  });

  it('lets hosts in WEBHOOK_ALLOW_HOSTS use http and private or loopback addresses', async () => {
    const allow = { allowHosts: ['127.0.0.1', 'lab.internal', '[::1]'], resolve };
    await expect(resolveTarget('http://127.0.0.1:8080/hook', allow)).resolves.toMatchObject({ address: '127.0.0.1', allowed: true });
    await expect(resolveTarget('http://LAB.internal/hook', allow)).resolves.toMatchObject({ address: '10.0.0.7', allowed: true });
    await expect(resolveTarget('https://[::1]/hook', allow)).resolves.toMatchObject({ address: '::1', family: 6 });
    // another host on the same network is still refused
    await expect(resolveTarget('http://10.0.0.1/hook', allow)).rejects.toThrow(/must use https/);
  });

  it('gives up on a name that takes too long to resolve', async () => {
    const slow: Resolver = () => new Promise(() => undefined);
    await expect(resolveTarget('https://slow.example.org/', { allowHosts: [], resolve: slow, lookupTimeoutMs: 50 })).rejects.toThrow(/did not resolve in time/);
  });
});
