import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createTestApp, type TestApp } from './support/test-app';

interface Operation {
  summary?: string;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/** Every route the application registers is documented, with its request and response schemas. */
describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.http().get('/docs-json').expect(200)).body;
  });
  afterAll(() => t.close());

  it('is served with the UI at /docs', async () => {
    const res = await t.http().get('/docs').expect(200);
    expect(res.text).toContain('swagger');
  });

  it('documents every registered route', () => {
    const router = t.app.getHttpAdapter().getInstance()._router ?? t.app.getHttpAdapter().getInstance().router;
    const registered: string[] = [];
    for (const layer of router.stack as { route?: { path: string; methods: Record<string, boolean> } }[]) {
      if (!layer.route) continue;
      for (const method of Object.keys(layer.route.methods)) registered.push(`${method.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
    }
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const apiRoutes = registered.filter((r) => r.includes('/api/') || r.endsWith('/health'));
    expect(apiRoutes.length).toBeGreaterThan(20);
    expect(apiRoutes.filter((r) => !documented.includes(r))).toEqual([]);
  });

  it('gives every operation a summary and a response schema, and every write a request schema', () => {
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const name = `${method.toUpperCase()} ${path}`;
        if (!op.summary) missing.push(`${name}: summary`);
        const ok = Object.entries(op.responses ?? {}).find(([code]) => code.startsWith('2'));
        const noContent = ok?.[0] === '204';
        if (!ok || (!noContent && !Object.values(ok[1].content ?? {}).some((c) => c.schema))) missing.push(`${name}: response schema`);
        // the routes whose request is the path alone
        const bodiless = /\/(acknowledge|logout|resend)$/.test(path);
        if (['post', 'put', 'patch'].includes(method) && !bodiless) {
          if (!Object.values(op.requestBody?.content ?? {}).some((c) => c.schema)) missing.push(`${name}: request schema`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('describes the visit body down to each evaluation field', () => {
    const schemas = doc.components.schemas as Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
    expect(schemas.CreateVisitDto.required).toContain('visitDate');
    expect(Object.keys(schemas.EvaluationInputDto.properties ?? {})).toEqual(expect.arrayContaining(['depositId', 'method', 'longestDiameterMm', 'painScore', 'drainage']));
    expect(schemas.EvaluationInputDto.required).toEqual(expect.arrayContaining(['depositId', 'method', 'longestDiameterMm']));
  });

  it("is the document the web app's committed client was generated from (npm run generate:api-client)", () => {
    const committed = JSON.parse(readFileSync('web/src/api/openapi.json', 'utf8'));
    expect(doc).toEqual(committed);
  });
});
