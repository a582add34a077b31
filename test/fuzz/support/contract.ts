import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { applyHints, type HintContext } from './hints';
import type { Schema } from './openapi';
import type { RouteInfo } from './runner';
import { toJsonText, validValue } from './values';
import type { World } from './world';

/**
 * The request schemas as a contract: a value the document allows for a field must not be refused
 * *for that field*. A body the server accepts is found first (all documented fields present,
 * business hints applied); then each field in turn gets the values at the edges of what its schema
 * allows (bounds, lengths, every enum value, fractions of a `number`, a blank string, repeated array
 * items, `maxItems`…). A 400 whose details name exactly that field is a mismatch between the
 * document and the validators.
 */

export interface Edge {
  path: (string | number)[];
  label: string;
  value: unknown;
}

export interface Mismatch {
  route: string;
  field: string;
  allowedByDocument: string;
  status: number;
  serverSays: string;
}

/**
 * Refusals that are business rules, not field constraints: they depend on another field (the
 * decision, the paired threshold, the value's unit) and are stated in the field's description.
 * The brief counts them as legitimate 4xx; they are listed in the output, not asserted on.
 */
export const BUSINESS_RULE_MESSAGES: RegExp[] = [
  /is required when the decision is dismiss/,
  /must not be below \w+/,
  /must be between .* check the value and its unit/,
];

const LONG_WITHOUT_MAX = 5000;
const ITEMS_WITHOUT_MAX = 101;

export function fieldName(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** A valid value with every documented property present (arrays: one item), never null. */
export function fullValue(s: Schema): fc.Arbitrary<unknown> {
  if (s.properties && !s.enum) {
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [k, v] of Object.entries(s.properties)) model[k] = fullValue(v);
    return fc.record(model);
  }
  if (s.type === 'array' && s.items && !s.items.enum) return fc.tuple(fullValue(s.items)).map((items) => [...items]);
  return validValue({ ...s, nullable: false });
}

/** A valid address of at most `max` characters: a 64-character local part, then 60-character domain labels. */
function longEmail(max: number): string {
  let domain = 'co';
  while (64 + 1 + 61 + domain.length <= max) domain = `${'b'.repeat(60)}.${domain}`;
  return `${'a'.repeat(64)}@${domain}`;
}

/** The values at the edges of what one field's schema allows. */
export function edgeValues(s: Schema): { label: string; value: unknown }[] {
  const out: { label: string; value: unknown }[] = [];
  if (s.nullable) out.push({ label: 'null (nullable)', value: null });
  if (s.format === 'uuid') {
    if (s.type && s.type !== 'string') out.push({ label: `an empty ${s.type} (the document says type ${s.type}, format uuid)`, value: s.type === 'object' ? {} : s.type === 'array' ? [] : 0 });
    return out;
  }
  if (s.format === 'date' || s.format === 'date-time') return out;
  // a string of the email format: its edges are short and long addresses, not arbitrary text
  if (s.format === 'email') {
    out.push({ label: 'a short email address', value: 'a@b.co' });
    if (s.maxLength !== undefined) out.push({ label: `an email address near maxLength ${s.maxLength}`, value: longEmail(s.maxLength) });
    return out;
  }
  if (s.enum) return [...out, ...s.enum.map((v) => ({ label: `enum value ${JSON.stringify(v)}`, value: v }))];
  switch (s.type) {
    case 'boolean':
      out.push({ label: 'true', value: true }, { label: 'false', value: false });
      break;
    case 'number':
    case 'integer': {
      const exMin = s.exclusiveMinimum === true;
      const exMax = s.exclusiveMaximum === true;
      const step = s.type === 'integer' ? 1 : 0.001;
      if (s.minimum !== undefined) out.push({ label: `${exMin ? 'just above the exclusive' : 'the'} minimum ${s.minimum}`, value: exMin ? s.minimum + step : s.minimum });
      else out.push({ label: '-1000000 (no minimum documented)', value: -1_000_000 });
      if (s.maximum !== undefined) out.push({ label: `${exMax ? 'just below the exclusive' : 'the'} maximum ${s.maximum}`, value: exMax ? s.maximum - step : s.maximum });
      else out.push({ label: '1000000 (no maximum documented)', value: 1_000_000 });
      if (s.type === 'number') {
        const lo = s.minimum ?? 0;
        const hi = s.maximum ?? lo + 10;
        out.push({ label: `a fraction (${lo + (hi - lo) / 2 + 0.25}; type number, not integer)`, value: lo + (hi - lo) / 2 + 0.25 });
      }
      break;
    }
    case 'string': {
      if (s.pattern) break;
      const max = s.maxLength ?? LONG_WITHOUT_MAX;
      out.push({ label: s.maxLength !== undefined ? `maxLength ${s.maxLength} characters` : `${LONG_WITHOUT_MAX} characters (no maxLength documented)`, value: 'x'.repeat(max) });
      const min = s.minLength ?? 1;
      out.push({ label: s.minLength !== undefined ? `minLength ${s.minLength} characters` : 'one character (no minLength documented)', value: 'x'.repeat(min) });
      if (s.minLength === undefined) out.push({ label: 'a blank string " " (no minLength or pattern documented)', value: ' ' });
      break;
    }
    case 'array': {
      const items = s.items;
      if (items?.enum?.length && !s.uniqueItems) out.push({ label: 'a repeated item (no uniqueItems documented)', value: [items.enum[0], items.enum[0]] });
      break;
    }
  }
  return out;
}

/** Every (path, edge value) of a full body, the arrays' own size edges included. */
export function edgesOf(value: unknown, schema: Schema, path: (string | number)[] = []): Edge[] {
  const out: Edge[] = [];
  if (path.length) for (const e of edgeValues(schema)) out.push({ path, ...e });
  if (schema.type === 'array' && Array.isArray(value) && value.length && !schema.items?.enum) {
    const n = schema.maxItems ?? ITEMS_WITHOUT_MAX;
    out.push({ path, label: schema.maxItems !== undefined ? `maxItems ${n} items` : `${n} items (no maxItems documented)`, value: Array.from({ length: n }, () => value[0]) });
    out.push(...edgesOf(value[0], schema.items ?? {}, [...path, 0]));
  } else if (schema.properties && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, sub] of Object.entries(schema.properties)) {
      if (k in (value as object)) out.push(...edgesOf((value as Record<string, unknown>)[k], sub, [...path, k]));
    }
  }
  return out;
}

function withValueAt(body: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(body)) as Record<string | number, unknown>;
  let node = copy;
  for (const p of path.slice(0, -1)) node = node[p] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
  return copy;
}

export interface ContractResult {
  route: string;
  requests: number;
  edges: number;
  baseAccepted: boolean;
  baseRefusal: string;
  mismatches: Mismatch[];
  /** refusals explained by a cross-field business rule (not counted) */
  businessRules: Mismatch[];
}

/** Sends each edge of one route's request schema and lists the refusals that name the field. */
export async function checkRequestContract(world: World, info: RouteInfo, seed: number): Promise<ContractResult> {
  const op = info.op;
  const schema = op.requestSchema!;
  const result: ContractResult = { route: op.key, requests: 0, edges: 0, baseAccepted: false, baseRefusal: '', mismatches: [], businessRules: [] };
  const templates = fc.sample(fullValue(schema), { numRuns: 12, seed });
  let r = seed >>> 0;
  const rand = () => ((r = (Math.imul(r ^ (r >>> 15), 2_246_822_507) + 0x6d2b79f5) >>> 0) / 4_294_967_296);

  /** Sends the body `build` makes for freshly picked path ids (the hints see the path's patient). */
  const send = async (build: (ctx: HintContext) => unknown): Promise<{ status: number; body: { message?: string; details?: { field: string; messages: string[] }[] } }> => {
    await world.refreshPools();
    if (Object.values(info.resources).includes('alerts')) await world.replenishAlerts(3);
    if (Object.values(info.resources).includes('deliveries')) await world.replenishDeliveries(3);
    if (schema.properties?.refreshToken) await world.ensureRefreshChain();
    const accounts = await world.ensureAuthAccounts();
    const ids: Record<string, string> = {};
    let patient: string | null = null;
    for (const [param, resource] of Object.entries(info.resources)) {
      const pool = world.pool(resource, true) ?? [];
      ids[param] = pool[Math.floor(rand() * pool.length)] ?? randomUUID();
      patient = resource === 'patients' ? ids[param] : (world.pools.patientOf.get(ids[param]) ?? null);
    }
    const ctx: HintContext = {
      rand,
      deposits: (patient && world.pools.depositsOf.get(patient)) || [],
      strayDeposits: [],
      physicianId: world.actors.physician.id,
      notPhysicians: [],
      unique: (prefix) => world.unique(prefix),
      login: { email: accounts.loginTarget.email, password: accounts.loginTarget.password },
      lockoutEmail: accounts.lockoutVictim.email,
      refreshToken: () => world.refresh.current,
      staleRefreshToken: () => world.refresh.current,
      bodyClass: 'valid',
    };
    const url = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => ids[name]);
    const req = world.t.http()[op.method](url).set('X-Forwarded-For', '198.51.100.40').set('Content-Type', 'application/json');
    if (info.actorRole) req.set('Authorization', `Bearer ${world.actors[info.actorRole].token}`);
    const res = await req.send(toJsonText(build(ctx)));
    result.requests += 1;
    if (schema.properties?.refreshToken) world.refresh = res.status === 200 ? { current: res.body.refreshToken, previous: world.refresh.current } : { current: null, previous: null };
    return { status: res.status, body: res.body };
  };

  // a full body the server accepts (every documented field present, business hints applied)
  const prepare = (template: unknown, ctx: HintContext): Record<string, unknown> => applyHints(template, schema, ctx) as Record<string, unknown>;
  let base: unknown = null;
  for (const template of templates) {
    const res = await send((ctx) => prepare(template, ctx));
    if (res.status >= 200 && res.status < 300) {
      base = template;
      result.baseAccepted = true;
      break;
    }
    result.baseRefusal = `${res.status} ${res.body?.message ?? ''}`.slice(0, 300);
  }
  if (!base) return result;

  // the edges are found on one hinted copy; each request re-applies the hints for its own path ids
  const sampleCtx: HintContext = { rand, deposits: [randomUUID()], strayDeposits: [], physicianId: world.actors.physician.id, notPhysicians: [], unique: (p) => p, login: { email: 'a@b.c', password: 'x' }, lockoutEmail: 'a@b.c', refreshToken: () => 'x', staleRefreshToken: () => 'x', bodyClass: 'valid' };
  const edges = edgesOf(prepare(base, sampleCtx), schema);
  result.edges = edges.length;
  for (const edge of edges) {
    const res = await send((ctx) => withValueAt(prepare(base, ctx), edge.path, edge.value));
    const field = fieldName(edge.path);
    const named = (res.body?.details ?? []).filter((d) => d.field === field);
    if (res.status === 400 && named.length) {
      const messages = named.flatMap((d) => d.messages);
      const mismatch = { route: op.key, field, allowedByDocument: edge.label, status: res.status, serverSays: messages.join('; ').slice(0, 200) };
      if (messages.every((m) => BUSINESS_RULE_MESSAGES.some((re) => re.test(m)))) result.businessRules.push(mismatch);
      else result.mismatches.push(mismatch);
    } else if (res.status >= 500) {
      result.mismatches.push({ route: op.key, field, allowedByDocument: edge.label, status: res.status, serverSays: res.body?.message ?? '' });
    }
  }
  return result;
}
