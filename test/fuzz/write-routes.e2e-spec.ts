import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createTestApp, type TestApp } from '../support/test-app';
import { createAjv, responseValidators } from './support/checks';
import { writeOperations, type OpenApiDoc, type WriteOperation } from './support/openapi';
import { failureReport, newRun, okCount, planArb, probeRoute, runPlan, statsLine, type RouteInfo } from './support/runner';
import { Fingerprinter, World, type Role } from './support/world';

/**
 * Property-based fuzzing of every write route the OpenAPI document lists (POST/PUT/PATCH/DELETE),
 * with bodies generated from the route's request schema: valid ones (biased by business hints so
 * that many succeed), schema-valid ones without hints, mutated ones, junk JSON and malformed
 * bodies; real, foreign, random and junk path ids; junk query strings; If-Match and
 * Idempotency-Key variants; and wrong, missing or forged credentials.
 *
 * Every request must: never answer 5xx; when it answers 4xx, leave the clinic's rows exactly as
 * they were (audit_events excluded: every request is audited; sessions excluded on the public
 * auth routes) and answer in the error shape; when it answers 2xx, match the documented response
 * schema (ajv). Another clinic's rows never change.
 *
 * FUZZ_RUNS (default 1000) and FUZZ_SEED override the number of requests per route and the seed.
 * A failure lists each distinct problem once with the run index and seed that produce it.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const MIN_OK_SHARE = 0.05;

/** Per-route seed: fixed (from the route's name) unless FUZZ_SEED is set. */
function seedFor(key: string): number {
  if (process.env.FUZZ_SEED) return Number(process.env.FUZZ_SEED);
  let h = 2_166_136_261;
  for (const c of key) h = Math.imul(h ^ c.charCodeAt(0), 16_777_619);
  return h | 0;
}

/** Who may call each route, as SPEC's API table (and the controllers) say. Routes not listed are taken as probed. */
const ALL: Role[] = ['staff', 'physician', 'admin'];
const CLINICAL: Role[] = ['staff', 'physician'];
const SPEC_ROLES: Record<string, Role[] | 'public'> = {
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/refresh': 'public',
  'POST /api/v1/auth/logout': ALL,
  'POST /api/v1/users': ['admin'],
  'PATCH /api/v1/users/{id}': ['admin'],
  'POST /api/v1/patients': ALL,
  'PATCH /api/v1/patients/{id}': ALL,
  'POST /api/v1/patients/{id}/deposits': ALL,
  'PATCH /api/v1/deposits/{id}': ALL,
  'POST /api/v1/patients/{id}/visits': CLINICAL,
  'POST /api/v1/evaluations/{id}/amendments': CLINICAL,
  'POST /api/v1/patients/{id}/labs': CLINICAL,
  'POST /api/v1/patients/{id}/treatments': CLINICAL,
  'PATCH /api/v1/treatments/{id}': CLINICAL,
  'POST /api/v1/alerts/{id}/acknowledge': ['physician'],
  'POST /api/v1/alerts/{id}/resolve': ['physician'],
  'PUT /api/v1/rule-settings': ['admin'],
  'POST /api/v1/rule-settings/simulate': ['admin'],
  // beyond SPEC's table: notifications (issue 13)
  'PUT /api/v1/notification-settings': ['admin'],
  'PUT /api/v1/notification-preferences': ALL,
  'POST /api/v1/webhooks': ['admin'],
  'PATCH /api/v1/webhooks/{id}': ['admin'],
  'DELETE /api/v1/webhooks/{id}': ['admin'],
  'POST /api/v1/webhooks/{id}/rotate-secret': ['admin'],
  'POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/resend': ['admin'],
};

interface Fuzzed {
  key: string;
  seed: number;
  total: number;
  ok: number;
  failures: string[];
  summary: string;
}

describe('fuzzing every write route of the OpenAPI document', () => {
  const serverLog: string[] = [];
  let t: TestApp;
  let world: World;
  let fingerprinter: Fingerprinter;
  let operations: WriteOperation[] = [];
  const problems: string[] = [];
  const infos = new Map<string, RouteInfo>();

  beforeAll(async () => {
    t = await createTestApp({}, {
      // the service's own log lines (not the per-request ones): a 5xx is reported with its cause
      write(chunk: string) {
        for (const line of chunk.split('\n')) {
          if (!line || line.includes('"msg":"request"')) continue;
          serverLog.push(line);
          if (serverLog.length > 400) serverLog.shift();
        }
      },
    });
    // one listening socket for the whole run (supertest would otherwise bind a port per request)
    await t.app.listen(0, '127.0.0.1');
    const doc = (await t.http().get('/docs-json').expect(200)).body as OpenApiDoc;
    const found = writeOperations(doc);
    operations = found.operations;
    problems.push(...found.problems);
    fingerprinter = await Fingerprinter.open();
    world = await World.create(t, fingerprinter);
    const ajv = createAjv();
    for (const op of operations) {
      try {
        infos.set(op.key, await probeRoute(world, op, op.responseSchema ? responseValidators(ajv, op.responseSchema) : null));
      } catch (err) {
        problems.push(`${op.key}: ${(err as Error).message}`);
      }
    }
  }, 120_000);
  afterAll(async () => {
    await fingerprinter?.close();
    await t?.close();
  });

  async function fuzz(info: RouteInfo): Promise<Fuzzed> {
    const seed = seedFor(info.op.key);
    // each route fuzzes a clinic of its own: its run depends on its seed alone, and the fingerprints stay small
    const routeWorld = await World.create(t, fingerprinter, world.otherClinic());
    const run = newRun(routeWorld, info, seed, serverLog);
    let index = 0;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(planArb(info), async (plan) => {
        await runPlan(run, plan, index++);
      }),
      { numRuns: RUNS, seed, endOnFailure: true },
    );
    const summary = `${statsLine(run)}\n    ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${seed}`;
    console.log(summary);
    return { key: info.op.key, seed, total: run.stats.total, ok: okCount(run), failures: failureReport(run), summary };
  }

  function expectSafe(result: Fuzzed): void {
    expect(result.total).toBeGreaterThanOrEqual(RUNS);
    expect({ route: result.key, seed: result.seed, failures: result.failures }).toEqual({ route: result.key, seed: result.seed, failures: [] });
    // the generators must reach the handler: a share of the requests succeeds
    expect({ route: result.key, reachesHandler: result.ok >= Math.ceil(RUNS * MIN_OK_SHARE), summary: result.summary }).toEqual({
      route: result.key,
      reachesHandler: true,
      summary: result.summary,
    });
  }

  it('finds the write routes in the document and can generate requests for every one of them', () => {
    expect(operations.length).toBeGreaterThanOrEqual(Object.keys(SPEC_ROLES).length);
    expect(problems).toEqual([]);
    expect([...infos.keys()].sort()).toEqual(operations.map((o) => o.key).sort());
    // the response validators are not vacuous: an empty object misses the required fields
    for (const info of infos.values()) {
      if (info.op.responseSchema?.required?.length) expect({ route: info.op.key, acceptsEmptyBody: info.validators!.documented({}) }).toEqual({ route: info.op.key, acceptsEmptyBody: false });
    }
  });

  it('lets each route in exactly the roles the SPEC names (others get 403, anonymous callers 401)', () => {
    const probed = Object.fromEntries([...infos.values()].map((i) => [i.op.key, i.isPublic ? 'public' : [...i.allowed].sort()]));
    const expected = Object.fromEntries(
      Object.keys(probed).map((key) => [key, SPEC_ROLES[key] === undefined ? probed[key] : SPEC_ROLES[key] === 'public' ? 'public' : [...(SPEC_ROLES[key] as Role[])].sort()]),
    );
    expect(probed).toEqual(expected);
    for (const info of infos.values()) if (!info.isPublic) expect(info.actorRole).not.toBeNull();
  });

  // The routes SPEC names get a test each; any other write route the document lists is fuzzed by
  // the test after them, so a new route is never left out.
  for (const key of Object.keys(SPEC_ROLES)) {
    it(`${key}: ${RUNS} generated requests — never 5xx; 4xx leave the database as it was; 2xx match the documented schema`, async () => {
      const info = infos.get(key);
      expect({ route: key, inDocument: info !== undefined }).toEqual({ route: key, inDocument: true });
      expectSafe(await fuzz(info!));
    }, 600_000);
  }

  it(`every other write route of the document: ${RUNS} generated requests each, with the same properties`, async () => {
    const others = [...infos.values()].filter((i) => SPEC_ROLES[i.op.key] === undefined);
    for (const info of others) expectSafe(await fuzz(info));
    expect(others.map((i) => i.op.key)).toEqual(operations.map((o) => o.key).filter((k) => SPEC_ROLES[k] === undefined));
  }, 1_800_000);
});
