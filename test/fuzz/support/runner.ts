import fc from 'fast-check';
import { randomUUID, createHmac } from 'node:crypto';
import type { Response } from 'supertest';
import { ajvErrors, errorShapeProblems, fingerprintDiff, type ResponseValidators } from './checks';
import { applyHints, type HintContext } from './hints';
import { resourceOfParam, type Schema, type WriteOperation } from './openapi';
import { applyMutation, clone, junkValue, MALFORMED_BODIES, mutationArb, ODD_STRINGS, toJsonText, validValue, type Mutation, type RawBody } from './values';
import { ROLES, type Fingerprint, type Role, type World } from './world';

/**
 * One fuzzed request per fast-check run: a plan is generated (body class, ids, query, headers,
 * actor), resolved against the live fixture pools, sent, and checked. An application bug never
 * throws inside the property: it is recorded, so one run lists every distinct failure (with the
 * seed and run index that reproduce it) instead of stopping at the first.
 */

// ---------------------------------------------------------------------------------------------
// What the probe learned about a route.

export interface RouteInfo {
  op: WriteOperation;
  isPublic: boolean;
  allowed: Role[];
  forbidden: Role[];
  /** the role the fuzzed requests act as (null: public route, no token) */
  actorRole: Role | null;
  /** the route ends the session of the token it is called with (logout): each call gets a fresh session */
  consumesSession: boolean;
  /** path parameter → resource (`patients`, `alerts`, …) */
  resources: Record<string, string>;
  validators: ResponseValidators | null;
}

/** Roles that act on a route, preferred in this order (the least privileged that may). */
const ROLE_PREFERENCE: Role[] = ['staff', 'physician', 'admin'];

function urlFor(op: WriteOperation, ids: Record<string, string>): string {
  return op.path.replace(/\{([^}]+)\}/g, (_, name: string) => ids[name]);
}

/**
 * Which roles a route lets in, whether it is public, and whether it ends the caller's session:
 * asked of the running service with an empty body and random ids, a fresh session per role.
 */
export async function probeRoute(world: World, op: WriteOperation, validators: ResponseValidators | null): Promise<RouteInfo> {
  const resources: Record<string, string> = {};
  for (const param of op.pathParams) {
    const resource = resourceOfParam(op.path, param);
    if (!resource || !world.pool(resource, false)) throw new Error(`${op.key}: no id pool for path parameter {${param}} (resource ${resource ?? 'unknown'})`);
    resources[param] = resource;
  }
  const url = urlFor(op, Object.fromEntries(op.pathParams.map((p) => [p, randomUUID()])));
  const send = (token: string | null) => {
    const req = world.t.http()[op.method](url).set('X-Forwarded-For', '198.51.100.30');
    if (token) req.set('Authorization', `Bearer ${token}`);
    return req.send({});
  };
  const anonymous = await send(null);
  const isPublic = anonymous.status !== 401;
  const allowed: Role[] = [];
  let consumesSession = false;
  if (!isPublic) {
    for (const role of ROLES) {
      const token = await world.freshToken(role);
      const res = await send(token);
      if (res.status !== 403 && res.status !== 401) allowed.push(role);
      const sid = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).sid as string;
      const [row] = await world.t.db.query('SELECT revoked_at IS NOT NULL AS revoked FROM sessions WHERE id = $1', [sid]);
      if (row?.revoked) consumesSession = true;
    }
  }
  const forbidden = isPublic ? [] : ROLES.filter((r) => !allowed.includes(r));
  const actorRole = isPublic ? null : (ROLE_PREFERENCE.find((r) => allowed.includes(r)) ?? null);
  return { op, isPublic, allowed: isPublic ? [...ROLES] : allowed, forbidden, actorRole, consumesSession, resources, validators };
}

// ---------------------------------------------------------------------------------------------
// Plans.

type IdChoice =
  | { kind: 'pool'; index: number; preferred: boolean }
  | { kind: 'upper'; index: number }
  | { kind: 'self' }
  | { kind: 'foreign' }
  | { kind: 'random'; uuid: string }
  | { kind: 'junk'; text: string; raw: boolean };

type ActorChoice = { kind: 'allowed' } | { kind: 'forbidden'; index: number } | { kind: 'none' } | { kind: 'garbage'; index: number } | { kind: 'revoked' };

type BodyPlan =
  | { cls: 'valid'; template: unknown }
  | { cls: 'schema'; template: unknown }
  | { cls: 'mutated'; template: unknown; mutation: Mutation }
  | { cls: 'junk-json'; value: unknown }
  | { cls: 'malformed'; raw: RawBody }
  | { cls: 'none' };

type IfMatchChoice = { kind: 'current' } | { kind: 'star' } | { kind: 'stale' } | { kind: 'junk'; text: string };
type IdemChoice = { kind: 'fresh' } | { kind: 'replay' } | { kind: 'reuse-other' } | { kind: 'junk'; text: string };

export interface Plan {
  body: BodyPlan;
  ids: Record<string, IdChoice>;
  query: string | null;
  ifMatch: IfMatchChoice | null;
  idem: IdemChoice | null;
  actor: ActorChoice;
  seed: number;
}

/** Path segments that are not a usable id; `raw` ones are sent without percent-encoding. */
const JUNK_IDS: { text: string; raw: boolean }[] = [
  ...['abc', '1', '0', '-1', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '123e4567e89b12d3a456426614174000', '{123e4567-e89b-12d3-a456-426614174000}',
    '123e4567-e89b-12d3-a456-426614174000x', ' 123e4567-e89b-12d3-a456-426614174000', 'null', 'undefined', "' OR '1'='1", '😀', 'a'.repeat(2000), 'é', '\u0000', '1e5', '[object Object]', '...', '__proto__', 'constructor']
    .map((text) => ({ text, raw: false })),
  ...['%', '%zz', '%E0%A4%A', '%00', '%2F', '%C0%AF', '%FF%FE', '..%2F..%2Fusers', '%5C..%5C'].map((text) => ({ text, raw: true })),
];
// `.`, `..` and `%2e%2e` are left out: the HTTP client resolves dot segments, so they would reach another route.

/** The string without unpaired surrogates (encodeURIComponent refuses them). */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}

const QUERY_KEYS = ['limit', 'cursor', 'status', 'id', 'x', '__proto__', 'constructor', 'a[b]', 'a[]', '', 'format', 'toString', 'hasOwnProperty', 'clinicId', 'role'];
const QUERY_VALUES = ['', '-1', '0', '1e9', 'abc', '%00', '%', '%zz', 'x'.repeat(3000), '[]', '{}', 'true', 'admin', randomUUID()];

function queryArb(): fc.Arbitrary<string> {
  const value = fc.oneof(fc.constantFrom(...QUERY_VALUES), fc.constantFrom(...ODD_STRINGS).map((s) => encodeURIComponent(wellFormed(s))), fc.string({ maxLength: 12 }).map(encodeURIComponent));
  const key = fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 8 }).map(encodeURIComponent));
  return fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 5 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
}

const GARBAGE_AUTH = (world: World): string[] => {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const admin = world.actors.admin;
  const claims = { sub: admin.id, cid: world.clinic.clinicId, role: 'admin', sid: admin.sid, typ: 'access', exp: Math.floor(Date.now() / 1000) + 600 };
  const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
  const header = b64({ alg: 'HS256', typ: 'JWT' });
  const wrongKey = createHmac('sha256', 'not-the-secret').update(`${header}.${b64(claims)}`).digest('base64url');
  const refreshAsAccess = `${header}.${b64({ ...claims, typ: 'refresh' })}.${wrongKey}`;
  return ['Bearer abc', 'Bearer a.b.c', 'Basic dXNlcjpwYXNz', `Bearer ${unsigned}`, `Bearer ${header}.${b64(claims)}.${wrongKey}`, '', 'Bearer', `Bearer ${'x'.repeat(5000)}`, `bearer ${admin.token}`, `Bearer ${admin.token}x`, refreshAsAccess];
};

function idChoiceArb(resource: string): fc.Arbitrary<IdChoice> {
  return fc.oneof(
    { weight: 70, arbitrary: fc.record({ kind: fc.constant('pool' as const), index: fc.nat(), preferred: fc.constant(true) }) },
    { weight: 10, arbitrary: fc.record({ kind: fc.constant('pool' as const), index: fc.nat(), preferred: fc.constant(false) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('upper' as const), index: fc.nat() }) },
    { weight: resource === 'users' ? 3 : 0, arbitrary: fc.constant({ kind: 'self' as const }) },
    { weight: 5, arbitrary: fc.constant({ kind: 'foreign' as const }) },
    { weight: 4, arbitrary: fc.uuid().map((uuid) => ({ kind: 'random' as const, uuid })) },
    { weight: 6, arbitrary: fc.constantFrom(...JUNK_IDS).map((j) => ({ kind: 'junk' as const, ...j })) },
  );
}

function actorArb(info: RouteInfo): fc.Arbitrary<ActorChoice> {
  const forbidden = info.forbidden.length ? 3 : 0;
  if (info.consumesSession) {
    return fc.oneof(
      { weight: 30, arbitrary: fc.constant({ kind: 'allowed' as const }) },
      { weight: 25, arbitrary: fc.constant({ kind: 'revoked' as const }) },
      { weight: 15, arbitrary: fc.constant({ kind: 'none' as const }) },
      { weight: 20, arbitrary: fc.nat().map((index) => ({ kind: 'garbage' as const, index })) },
      { weight: forbidden, arbitrary: fc.nat().map((index) => ({ kind: 'forbidden' as const, index })) },
    );
  }
  return fc.oneof(
    { weight: 88, arbitrary: fc.constant({ kind: 'allowed' as const }) },
    { weight: forbidden, arbitrary: fc.nat().map((index) => ({ kind: 'forbidden' as const, index })) },
    { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 3, arbitrary: fc.nat().map((index) => ({ kind: 'garbage' as const, index })) },
    { weight: 3, arbitrary: fc.constant({ kind: 'revoked' as const }) },
  );
}

function bodyArb(schema: Schema | null, costly: boolean): fc.Arbitrary<BodyPlan> {
  const malformed = fc.constantFrom(...MALFORMED_BODIES).map((raw) => ({ cls: 'malformed' as const, raw }));
  const junk = fc.oneof(junkValue(), fc.dictionary(fc.string({ maxLength: 12 }), junkValue(), { minKeys: 1, maxKeys: 4 })).map((value) => ({ cls: 'junk-json' as const, value }));
  const none = fc.constant({ cls: 'none' as const });
  if (!schema) {
    return fc.oneof(
      { weight: 55, arbitrary: none },
      { weight: 15, arbitrary: fc.constant({ cls: 'junk-json' as const, value: {} }) },
      { weight: 15, arbitrary: junk },
      { weight: 15, arbitrary: malformed },
    );
  }
  const valid = validValue(schema);
  return fc.oneof(
    { weight: costly ? 25 : 45, arbitrary: valid.map((template) => ({ cls: 'valid' as const, template })) },
    { weight: 12, arbitrary: valid.map((template) => ({ cls: 'schema' as const, template })) },
    { weight: costly ? 53 : 33, arbitrary: fc.tuple(valid, mutationArb()).map(([template, mutation]) => ({ cls: 'mutated' as const, template, mutation })) },
    { weight: 4, arbitrary: junk },
    { weight: 4, arbitrary: malformed },
    { weight: 2, arbitrary: none },
  );
}

export function planArb(info: RouteInfo): fc.Arbitrary<Plan> {
  const headers = info.op.headerParams.map((h) => h.toLowerCase());
  const ids = Object.fromEntries(Object.entries(info.resources).map(([param, resource]) => [param, idChoiceArb(resource)]));
  const ifMatch: fc.Arbitrary<IfMatchChoice | null> = headers.includes('if-match')
    ? fc.oneof(
        { weight: 65, arbitrary: fc.constant(null) },
        { weight: 13, arbitrary: fc.constant({ kind: 'current' as const }) },
        { weight: 7, arbitrary: fc.constant({ kind: 'star' as const }) },
        { weight: 8, arbitrary: fc.constant({ kind: 'stale' as const }) },
        { weight: 7, arbitrary: fc.constantFrom('"abc"', 'W/"1"x', '"-1"', '"1", "2"', '""', '"99999999999999"', 'garbage', '*,"1"', 'W/', '"1').map((text) => ({ kind: 'junk' as const, text })) },
      )
    : fc.constant(null);
  const idem: fc.Arbitrary<IdemChoice | null> = headers.includes('idempotency-key')
    ? fc.oneof(
        { weight: 58, arbitrary: fc.constant(null) },
        { weight: 20, arbitrary: fc.constant({ kind: 'fresh' as const }) },
        { weight: 10, arbitrary: fc.constant({ kind: 'replay' as const }) },
        { weight: 6, arbitrary: fc.constant({ kind: 'reuse-other' as const }) },
        { weight: 6, arbitrary: fc.constantFrom('', ' ', 'a b', '\xe9t\xe9', 'x'.repeat(201), '\t').map((text) => ({ kind: 'junk' as const, text })) },
      )
    : fc.constant(null);
  return fc.record({
    // a password in the body means an argon2 hash or check (~30 ms) whenever it is valid
    body: bodyArb(info.op.requestSchema, Boolean(info.op.requestSchema?.properties?.password)),
    ids: fc.record(ids) as fc.Arbitrary<Record<string, IdChoice>>,
    query: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: queryArb() }),
    ifMatch,
    idem,
    actor: actorArb(info),
    seed: fc.integer(),
  });
}

// ---------------------------------------------------------------------------------------------
// Running one plan.

export interface Failure {
  signature: string;
  example: string;
}

export interface RouteStats {
  total: number;
  byStatus: Record<string, number>;
  byClass: Record<string, Record<string, number>>;
  /** the most frequent reasons a hinted-valid body was refused, for tuning the hints */
  validRejections: Record<string, number>;
}

export interface RouteRun {
  world: World;
  info: RouteInfo;
  seed: number;
  failures: Map<string, { count: number; example: string }>;
  stats: RouteStats;
  serverLog: string[];
  lastBefore: Fingerprint | null;
  lastFixtureWrites: number;
  lastIdempotent: { url: string; text: string; key: string; token: string | null } | null;
  freshTokens: string[];
  /** milliseconds spent in fixture upkeep, fingerprints and requests */
  ms: { upkeep: number; fingerprint: number; request: number };
}

export function newRun(world: World, info: RouteInfo, seed: number, serverLog: string[]): RouteRun {
  return {
    world, info, seed, serverLog, failures: new Map(), stats: { total: 0, byStatus: {}, byClass: {}, validRejections: {} },
    lastBefore: null, lastFixtureWrites: -1, lastIdempotent: null, freshTokens: [], ms: { upkeep: 0, fingerprint: 0, request: 0 },
  };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SESSIONS = (key: string) => key.endsWith('.sessions');

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  what: string;
}

/** Long runs of one character written as `x×5000`, and the whole cut to `max` characters. */
function shorten(text: string, max: number): string {
  const squeezed = text.replace(/(.)\1{19,}/gs, (run, c: string) => `${c}×${run.length}`);
  return squeezed.length > max ? `${squeezed.slice(0, max)}… (${text.length} chars)` : squeezed;
}

function describe(sent: Sent, res: Response | null): string {
  const body = sent.body === undefined ? '(no body)' : shorten(sent.body, 1500);
  const headers = Object.entries(sent.headers).map(([k, v]) => `${k}: ${shorten(v, 160)}`).join('\n    ');
  const resBody = res ? shorten(res.text ?? '', 1500) : '';
  return [
    `  request  (${sent.what}): ${sent.method.toUpperCase()} ${shorten(sent.url, 400)}`,
    `    ${headers}`,
    sent.contentType ? `    Content-Type: ${sent.contentType}${sent.contentEncoding ? `; Content-Encoding: ${sent.contentEncoding}` : ''}` : '',
    `    body: ${body}`,
    res ? `  response: ${res.status} ${res.headers['content-type'] ?? ''}\n    ${resBody}` : '',
  ].filter(Boolean).join('\n');
}

export async function runPlan(run: RouteRun, plan: Plan, index: number): Promise<void> {
  const { world, info } = run;
  const op = info.op;
  const rand = mulberry32(plan.seed);

  // --- fixture upkeep, outside the before/after window
  let clock = Date.now();
  const lap = (what: keyof RouteRun['ms']) => {
    const now = Date.now();
    run.ms[what] += now - clock;
    clock = now;
  };
  if (index % 40 === 0) await world.refreshPools();
  if (Object.values(info.resources).includes('alerts')) await world.replenishAlerts(6);
  if (Object.values(info.resources).includes('deliveries')) await world.replenishDeliveries(3);
  if (op.method === 'delete' && Object.values(info.resources).includes('webhooks')) await world.replenishWebhooks(4);
  if (op.requestSchema?.properties?.refreshToken) await world.ensureRefreshChain();
  const accounts = await world.ensureAuthAccounts();
  const revokedToken = info.isPublic ? '' : await world.revokedToken();

  // --- actor
  let auth: string | null = null;
  let freshToken: string | null = null;
  const actor = plan.actor;
  if (actor.kind === 'allowed' && !info.isPublic && info.actorRole) {
    if (info.consumesSession) {
      freshToken = run.freshTokens.pop() ?? (await world.freshToken(info.actorRole));
      auth = `Bearer ${freshToken}`;
    } else auth = `Bearer ${world.actors[info.actorRole].token}`;
  } else if (actor.kind === 'forbidden' && info.forbidden.length) {
    auth = `Bearer ${world.actors[info.forbidden[actor.index % info.forbidden.length]].token}`;
  } else if (actor.kind === 'garbage') {
    const options = GARBAGE_AUTH(world);
    auth = options[actor.index % options.length];
  } else if (actor.kind === 'revoked') {
    auth = `Bearer ${revokedToken}`;
  }
  const authorised = actor.kind === 'allowed' || info.isPublic;

  // --- path ids
  const ids: Record<string, string> = {};
  let targetId: string | null = null;
  let realTarget = true;
  for (const [param, choice] of Object.entries(plan.ids)) {
    const resource = info.resources[param];
    let id: string;
    switch (choice.kind) {
      case 'pool':
      case 'upper': {
        const pool = world.pool(resource, choice.kind === 'pool' && choice.preferred) ?? [];
        const picked = pool.length ? pool[choice.index % pool.length] : randomUUID();
        if (!pool.length) realTarget = false;
        id = choice.kind === 'upper' ? picked.toUpperCase() : picked;
        break;
      }
      case 'self':
        id = info.actorRole ? world.actors[info.actorRole].id : randomUUID();
        break;
      case 'foreign':
        id = world.otherIds[resource] ?? randomUUID();
        realTarget = false;
        break;
      case 'random':
        id = choice.uuid;
        realTarget = false;
        break;
      case 'junk':
        id = choice.raw ? choice.text : encodeURIComponent(wellFormed(choice.text));
        realTarget = false;
        break;
    }
    ids[param] = id;
    targetId = id;
  }
  let url = urlFor(op, ids);
  if (plan.query !== null) url += `?${plan.query}`;

  // --- body
  const subjectPatient = (() => {
    for (const [param, resource] of Object.entries(info.resources)) {
      const id = ids[param]?.toLowerCase();
      if (resource === 'patients') return id;
      const p = world.pools.patientOf.get(id);
      if (p) return p;
    }
    return null;
  })();
  const deposits = (subjectPatient && world.pools.depositsOf.get(subjectPatient)) || [];
  const stray = [...world.pools.deposits.filter((d) => !deposits.includes(d)).slice(0, 3), ...world.otherDeposits.slice(0, 2)];
  const hintContext = (bodyClass: HintContext['bodyClass']): HintContext => ({
    rand,
    deposits,
    strayDeposits: stray,
    physicianId: world.actors.physician.id,
    notPhysicians: [world.actors.staff.id, world.other.physician.id],
    unique: (prefix) => world.unique(prefix),
    login: { email: accounts.loginTarget.email, password: accounts.loginTarget.password },
    lockoutEmail: accounts.lockoutVictim.email,
    refreshToken: () => world.refresh.current,
    staleRefreshToken: () => world.refresh.previous,
    bodyClass,
  });
  const schema = op.requestSchema;
  let text: string | undefined;
  let contentType: string | undefined = 'application/json';
  let contentEncoding: string | undefined;
  let what: string = plan.body.cls;
  switch (plan.body.cls) {
    case 'valid':
      text = toJsonText(applyHints(clone(plan.body.template), schema, hintContext('valid')));
      break;
    case 'schema':
      text = toJsonText(plan.body.template);
      what = 'schema-valid, no business hints';
      break;
    case 'mutated': {
      const hinted = applyHints(clone(plan.body.template), schema, hintContext('mutated')) as Record<string, unknown>;
      const mutated = applyMutation(hinted, schema!, plan.body.mutation);
      text = toJsonText(mutated.value);
      what = `mutated: ${mutated.what}`;
      break;
    }
    case 'junk-json':
      text = toJsonText(plan.body.value);
      what = 'junk JSON';
      break;
    case 'malformed':
      text = plan.body.raw.text;
      contentType = plan.body.raw.contentType;
      contentEncoding = plan.body.raw.contentEncoding;
      what = `malformed: ${plan.body.raw.what}`;
      break;
    case 'none':
      text = undefined;
      contentType = undefined;
      what = 'no body';
      break;
  }

  // --- headers
  const headers: Record<string, string> = { 'X-Request-Id': `fuzz-${index}-${randomUUID().slice(0, 8)}` };
  if (info.isPublic) headers['X-Forwarded-For'] = '198.51.100.10';
  if (auth !== null) headers.Authorization = auth;
  let expectNoChange = false;
  let mustFail: string | null = null;
  if (plan.ifMatch) {
    const resource = Object.values(info.resources)[0] ?? op.path.split('/').filter(Boolean).pop()!;
    if (plan.ifMatch.kind === 'current') {
      const v = await world.versionOf(resource, targetId?.toLowerCase() ?? null);
      if (v !== null) headers['If-Match'] = `"${v}"`;
    } else if (plan.ifMatch.kind === 'star') headers['If-Match'] = '*';
    else if (plan.ifMatch.kind === 'stale') {
      headers['If-Match'] = '"987654"';
      mustFail = 'a stale If-Match';
    } else {
      headers['If-Match'] = plan.ifMatch.text;
      if (plan.ifMatch.text.trim() !== '' && plan.ifMatch.text.trim() !== '*') mustFail = `the If-Match ${JSON.stringify(plan.ifMatch.text)}`;
    }
  }
  if (!authorised) mustFail = mustFail ?? `the ${actor.kind} credentials`;
  if (!realTarget) mustFail = mustFail ?? 'an id that is not one of the clinic\'s records';
  let replay = false;
  if (plan.idem) {
    if (plan.idem.kind === 'replay' && run.lastIdempotent && run.lastIdempotent.token === auth) {
      ({ url, text } = run.lastIdempotent);
      headers['Idempotency-Key'] = run.lastIdempotent.key;
      contentType = 'application/json';
      contentEncoding = undefined;
      delete headers['If-Match'];
      mustFail = null;
      replay = true;
      expectNoChange = true;
      what = 'replay of an earlier request with its Idempotency-Key';
    } else if (plan.idem.kind === 'reuse-other' && run.lastIdempotent) {
      headers['Idempotency-Key'] = run.lastIdempotent.key;
      if (run.lastIdempotent.url !== url || run.lastIdempotent.text !== text) mustFail = 'an Idempotency-Key used for another request';
      else replay = expectNoChange = true;
    } else if (plan.idem.kind === 'junk') {
      headers['Idempotency-Key'] = plan.idem.text;
      mustFail = `the Idempotency-Key ${JSON.stringify(plan.idem.text)}`;
    } else {
      headers['Idempotency-Key'] = `fuzz-${randomUUID()}`;
    }
  }

  // --- the request, between two fingerprints
  lap('upkeep');
  const before = run.lastBefore && run.lastFixtureWrites === world.fixtureWrites ? run.lastBefore : await world.fingerprint();
  const sent: Sent = { method: op.method, url, headers, body: text, contentType: text === undefined ? undefined : contentType, contentEncoding, what };
  let res: Response | null = null;
  let transportError: string | null = null;
  lap('fingerprint');
  try {
    const req = world.t.http()[op.method](url).timeout({ response: 30_000, deadline: 60_000 });
    for (const [k, v] of Object.entries(headers)) req.set(k, v);
    if (text !== undefined) {
      if (contentType) req.set('Content-Type', contentType);
      if (contentEncoding) req.set('Content-Encoding', contentEncoding);
      req.send(text);
    }
    res = await req;
  } catch (err) {
    const e = err as { response?: Response; message?: string };
    if (e.response) res = e.response;
    else transportError = e.message ?? String(err);
  }
  lap('request');
  const after = await world.fingerprint();
  lap('fingerprint');
  run.lastBefore = after;
  run.lastFixtureWrites = world.fixtureWrites;

  // --- checks
  const status = res?.status ?? 0;
  const stats = run.stats;
  stats.total += 1;
  stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  const cls = replay ? 'replay' : plan.body.cls;
  stats.byClass[cls] ??= {};
  const bucket = status >= 200 && status < 300 ? '2xx' : `${status}`;
  stats.byClass[cls][bucket] = (stats.byClass[cls][bucket] ?? 0) + 1;

  const problems: { kind: string; detail: string }[] = [];
  const ignoreSessions = info.isPublic;
  const fuzzDiff = fingerprintDiff(before, after, (k) => !k.startsWith('fuzz.') || (ignoreSessions && SESSIONS(k)));
  const otherDiff = fingerprintDiff(before, after, (k) => !k.startsWith('other.'));
  if (transportError) problems.push({ kind: 'no response', detail: transportError });
  else if (status >= 500) {
    const log = run.serverLog.filter((l) => l.includes(headers['X-Request-Id'])).map((l) => {
      const parsed = JSON.parse(l) as { msg?: string; err?: unknown };
      return parsed.msg ?? l;
    });
    problems.push({ kind: `${status} server error`, detail: log.length ? log.join(' | ').slice(0, 300) : (res?.text ?? '').slice(0, 120) });
  } else if (status === 431 || status === 414) {
    // answered by Node's HTTP parser (request line and headers over 16 KB) before the application runs
    if (fuzzDiff.length) problems.push({ kind: `${status} changed the database`, detail: fuzzDiff.join(', ') });
  } else if (status >= 400) {
    const shape = errorShapeProblems(status, res?.body, res?.headers['content-type']);
    if (shape.length) problems.push({ kind: `${status} with a body not in the error shape`, detail: shape.join('; ') });
    if (fuzzDiff.length) problems.push({ kind: `${status} changed the database`, detail: fuzzDiff.join(', ') });
    if (!authorised && ![400, 413, 415].includes(status)) {
      const expected = actor.kind === 'forbidden' ? 403 : 401;
      if (status !== expected) problems.push({ kind: `${actor.kind} credentials answered ${status}, not ${expected}`, detail: '' });
    }
    if (authorised && status === 401 && !info.isPublic) {
      // an actor whose session a previous request ended legitimately (own password change): restore it
      if (!(await world.ensureActorsAlive())) problems.push({ kind: 'a live token was refused (401)', detail: (res?.body as { message?: string })?.message ?? '' });
    }
    if (plan.body.cls === 'valid' && authorised && realTarget && !mustFail) {
      const msg = ((res?.body as { message?: string })?.message ?? '').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '<id>').replace(/\d+(\.\d+)?/g, 'N').slice(0, 90);
      stats.validRejections[`${status} ${msg}`] = (stats.validRejections[`${status} ${msg}`] ?? 0) + 1;
    }
  } else if (status >= 200 && status < 300) {
    if (status !== op.successStatus) problems.push({ kind: `answered ${status}, documented ${op.successStatus}`, detail: '' });
    if (mustFail) problems.push({ kind: `2xx despite ${mustFail.replace(/"[^"]*"/g, '…')}`, detail: mustFail });
    if (info.validators) {
      if (!info.validators.documented(res?.body)) problems.push({ kind: '2xx body does not match the documented schema', detail: ajvErrors(info.validators.documented).join('; ') });
      else if (!info.validators.closed(res?.body)) problems.push({ kind: '2xx body has undocumented fields', detail: ajvErrors(info.validators.closed).join('; ') });
    } else if ((res?.text ?? '') !== '') problems.push({ kind: `${status} with a body`, detail: (res?.text ?? '').slice(0, 100) });
    if (replay) {
      if (res?.headers['idempotent-replayed'] !== 'true') problems.push({ kind: 'replay not marked Idempotent-Replayed', detail: '' });
      if (fuzzDiff.length && expectNoChange) problems.push({ kind: 'an idempotent replay changed the database', detail: fuzzDiff.join(', ') });
    }
  } else {
    problems.push({ kind: `unexpected status ${status}`, detail: '' });
  }
  if (otherDiff.length) problems.push({ kind: "another clinic's records changed", detail: otherDiff.join(', ') });

  // what provoked it, coarsely: the body class, the mutation or the malformed body's kind
  const trigger = replay ? 'idempotent replay' : plan.body.cls === 'mutated' ? `mutation ${plan.body.mutation.op}` : plan.body.cls === 'malformed' ? plan.body.raw.what : `${plan.body.cls} body`;
  for (const p of problems) {
    const detail = p.detail.replace(/ in request fuzz-\d+-[0-9a-f]{8}/g, '').replace(/fuzz-\d+-[0-9a-f]{8}/g, '<request>').slice(0, 200);
    const signature = `${op.key} — ${p.kind}${detail ? `: ${detail}` : ''} [${trigger}]`;
    const entry = run.failures.get(signature);
    if (entry) entry.count += 1;
    else run.failures.set(signature, { count: 1, example: `  run ${index} of seed ${run.seed}\n${describe(sent, res)}` });
  }

  // --- bookkeeping after the window
  if (freshToken && !(status >= 200 && status < 300)) run.freshTokens.push(freshToken);
  if (status >= 200 && status < 300 && headers['Idempotency-Key'] && !replay) run.lastIdempotent = { url, text: text ?? '', key: headers['Idempotency-Key'], token: auth };
  if (op.requestSchema?.properties?.refreshToken && text) {
    const { current, previous } = world.refresh;
    if (status === 200 && current && text.includes(current)) world.refresh = { current: (res?.body as { refreshToken: string }).refreshToken, previous: current };
    else if ((current && text.includes(current)) || (previous && text.includes(previous))) {
      // the presented token may have ended the chain's session (an old token used again revokes it)
      if (status === 401) world.refresh = { current: null, previous: null };
    }
  }
  if (status >= 200 && status < 300 && (res?.body as { status?: string })?.status === 'resolved') {
    const id = (res?.body as { id?: string }).id;
    world.pools.unresolvedAlerts = world.pools.unresolvedAlerts.filter((a) => a !== id);
  }
  if (status >= 200 && status < 300 && Object.values(info.resources).includes('users')) await world.ensureActorsAlive();
  if (status >= 200 && status < 300 && op.path.endsWith('/users')) await world.ensureActorsAlive();
}

/** The failures of a run, as lines for the assertion message. */
export function failureReport(run: RouteRun): string[] {
  return [...run.failures.entries()].map(([signature, { count, example }]) => `${signature}  (×${count})\n${example}`);
}

export function statsLine(run: RouteRun): string {
  const s = run.stats;
  const ok = Object.entries(s.byStatus).filter(([k]) => k.startsWith('2')).reduce((n, [, v]) => n + v, 0);
  const statuses = Object.entries(s.byStatus).sort(([a], [b]) => Number(a) - Number(b)).map(([k, v]) => `${k}:${v}`).join(' ');
  const classes = Object.entries(s.byClass).map(([c, b]) => `${c}{${Object.entries(b).map(([k, v]) => `${k}:${v}`).join(' ')}}`).join(' ');
  const rejections = Object.entries(s.validRejections).sort(([, a], [, b]) => b - a).slice(0, 4).map(([m, n]) => `${n}× ${m}`).join(' | ');
  const ms = run.ms;
  return `${run.info.op.key}: ${s.total} requests (ms in requests ${ms.request}, fingerprints ${ms.fingerprint}, fixture upkeep ${ms.upkeep}), 2xx ${ok} (${((100 * ok) / Math.max(1, s.total)).toFixed(1)}%), 4xx ${s.total - ok - (s.byStatus['500'] ?? 0)}; statuses ${statuses}\n    by body class: ${classes}${rejections ? `\n    valid bodies refused: ${rejections}` : ''}`;
}

export function okCount(run: RouteRun): number {
  return Object.entries(run.stats.byStatus).filter(([k]) => k.startsWith('2')).reduce((n, [, v]) => n + v, 0);
}
