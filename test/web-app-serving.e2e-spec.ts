import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, type TestApp } from './support/test-app';

/** A build of the web app as Vite writes it: index.html and hashed assets. */
function fakeBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'calcitrack-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("app")');
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

const directive = (csp: string, name: string) => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) ?? '';

describe('the web app served at /', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = fakeBuild();
    t = await createTestApp({}, undefined, { webAppDir: dir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers / with index.html, never cached, under a strict Content-Security-Policy', async () => {
    const res = await t.http().get('/').set('Accept', 'text/html').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<div id="root">');
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = res.headers['content-security-policy'] as string;
    expect(directive(csp, 'script-src')).toBe("script-src 'self'");
    expect(directive(csp, 'style-src')).toBe("style-src 'self'");
    expect(directive(csp, 'script-src-attr')).toBe("script-src-attr 'none'");
    expect(directive(csp, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('revalidates index.html: it carries an ETag, and an unchanged page is a 304', async () => {
    const res = await t.http().get('/').set('Accept', 'text/html').expect(200);
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    const again = await t.http().get('/').set('Accept', 'text/html').set('If-None-Match', etag).expect(304);
    expect(again.text).toBe('');
    await t.http().get('/').set('Accept', 'text/html').set('If-None-Match', 'W/"another"').expect(200);
  });

  it('answers a client route (a reload on /patients/…) with index.html', async () => {
    const res = await t.http().get('/patients/0b0e3b5e-1111-4222-8333-444455556666').set('Accept', 'text/html,application/xhtml+xml').expect(200);
    expect(res.text).toContain('<div id="root">');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets with a year-long immutable cache, and a missing one as a plain 404', async () => {
    const res = await t.http().get('/assets/index-abc123.js').expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toMatch(/max-age=31536000/);
    expect(res.headers['cache-control']).toMatch(/immutable/);
    const missing = await t.http().get('/assets/index-old999.js').expect(404);
    expect(missing.headers['content-type']).toMatch(/^text\/plain/);
    expect(missing.text).not.toContain('<div id="root">');
  });

  it('serves other files of the build as they are', async () => {
    const res = await t.http().get('/favicon.svg').expect(200);
    expect(res.headers['content-type']).toMatch(/svg/);
  });

  it('leaves /api, /health and /docs alone: an unknown API route stays a JSON 404', async () => {
    const res = await t.http().get('/api/v1/no-such-route').set('Accept', 'text/html').expect(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toMatchObject({ statusCode: 404 });
    expect(res.headers['cache-control']).toBe('no-store');
    await t.http().get('/health').set('Accept', 'text/html').expect(200).expect('Content-Type', /json/);
    const docs = await t.http().get('/docs').set('Accept', 'text/html').expect(200);
    expect(docs.text).toContain('swagger');
  });

  it('lets only /docs run the inline script Swagger UI needs', async () => {
    const docs = await t.http().get('/docs').expect(200);
    expect(directive(docs.headers['content-security-policy'] as string, 'script-src')).toBe("script-src 'self' 'unsafe-inline'");
    const api = await t.http().get('/health').expect(200);
    expect(directive(api.headers['content-security-policy'] as string, 'script-src')).toBe("script-src 'self'");
  });

  it('writes no audit event for the page and its files (the audit trail is for the API)', async () => {
    const count = async () => Number((await t.db.query('SELECT count(*) AS n FROM audit_events'))[0].n);
    const before = await count();
    await t.http().get('/').expect(200);
    await t.http().get('/inbox').set('Accept', 'text/html').expect(200);
    await t.http().get('/assets/index-abc123.js').expect(200);
    await t.http().get('/assets/gone.js').expect(404);
    expect(await count()).toBe(before);
  });

  it('does not answer writes with the page', async () => {
    const res = await t.http().post('/patients').set('Accept', 'text/html').send({}).expect(404);
    expect(res.text).not.toContain('<div id="root">');
  });
});
