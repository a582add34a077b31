import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/test-app';
import { checkRequestContract, type ContractResult } from './support/contract';
import { writeOperations, type OpenApiDoc, type WriteOperation } from './support/openapi';
import { probeRoute, type RouteInfo } from './support/runner';
import { Fingerprinter, World } from './support/world';

/**
 * "A 4xx that should have been 2xx": for every write route with a request body, each field gets
 * the values at the edges of what the OpenAPI document allows for it (bounds, lengths, every enum
 * value, fractions of a `number`, blank strings, repeated items, item counts) inside a body the
 * server otherwise accepts. The server must not refuse a documented value for that field: either
 * the validator is wrong or the document is. Every mismatch is listed.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20_250_101);

/** The write routes SPEC names; any other route of the document is checked by the last test. */
const SPEC_WRITE_ROUTES = [
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/refresh',
  'POST /api/v1/users',
  'PATCH /api/v1/users/{id}',
  'POST /api/v1/patients',
  'PATCH /api/v1/patients/{id}',
  'POST /api/v1/patients/{id}/deposits',
  'PATCH /api/v1/deposits/{id}',
  'POST /api/v1/patients/{id}/visits',
  'POST /api/v1/evaluations/{id}/amendments',
  'POST /api/v1/patients/{id}/labs',
  'POST /api/v1/patients/{id}/treatments',
  'PATCH /api/v1/treatments/{id}',
  'POST /api/v1/alerts/{id}/resolve',
  'PUT /api/v1/rule-settings',
];

describe('the request schemas of the OpenAPI document, as a contract', () => {
  let t: TestApp;
  let world: World;
  let fingerprinter: Fingerprinter;
  let operations: WriteOperation[] = [];
  const problems: string[] = [];
  const infos = new Map<string, RouteInfo>();

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    const doc = (await t.http().get('/docs-json').expect(200)).body as OpenApiDoc;
    const found = writeOperations(doc);
    operations = found.operations.filter((op) => op.requestSchema);
    problems.push(...found.problems);
    fingerprinter = await Fingerprinter.open();
    world = await World.create(t, fingerprinter);
    for (const op of operations) {
      try {
        infos.set(op.key, await probeRoute(world, op, null));
      } catch (err) {
        problems.push(`${op.key}: ${(err as Error).message}`);
      }
    }
    await world.ensureActorsAlive();
  }, 120_000);
  afterAll(async () => {
    await fingerprinter?.close();
    await t?.close();
  });

  function report(result: ContractResult): unknown {
    return {
      route: result.route,
      acceptsAFullBody: result.baseAccepted ? true : result.baseRefusal,
      documentedValuesRefused: result.mismatches.map((m) => `${m.field} = ${m.allowedByDocument} → ${m.status}: ${m.serverSays}`),
    };
  }

  async function check(info: RouteInfo): Promise<void> {
    const result = await checkRequestContract(world, info, SEED);
    const business = result.businessRules.map((m) => `\n    business rule (not counted): ${m.field} = ${m.allowedByDocument} → ${m.serverSays}`).join('');
    console.log(`${result.route}: ${result.edges} documented edge values, ${result.requests} requests, ${result.mismatches.length} refused for the field itself${business}`);
    expect(report(result)).toEqual({ route: result.route, acceptsAFullBody: true, documentedValuesRefused: [] });
  }

  it('reads every write route with a request body', () => {
    expect(problems).toEqual([]);
    expect(operations.map((o) => o.key)).toEqual(expect.arrayContaining(SPEC_WRITE_ROUTES));
  });

  for (const key of SPEC_WRITE_ROUTES) {
    it(`${key}: the server accepts every value the document allows for each field`, async () => {
      const info = infos.get(key);
      expect({ route: key, inDocument: info !== undefined }).toEqual({ route: key, inDocument: true });
      await check(info!);
    }, 300_000);
  }

  it('every other write route with a request body: the same', async () => {
    const others = [...infos.values()].filter((i) => !SPEC_WRITE_ROUTES.includes(i.op.key));
    for (const info of others) await check(info);
    expect(others.map((i) => i.op.key)).toEqual(operations.map((o) => o.key).filter((k) => !SPEC_WRITE_ROUTES.includes(k)));
  }, 600_000);
});
