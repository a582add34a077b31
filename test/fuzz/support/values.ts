import fc from 'fast-check';
import type { Schema } from './openapi';

/**
 * Value generators driven by a (resolved) OpenAPI schema: valid values, junk values, odd strings,
 * and the mutations that turn a valid body into an invalid one.
 */

/** A JSON token written as is (numbers JSON.stringify cannot produce: 1e400, -0, 1e-400, …). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of a value that may contain RawJson tokens and own `__proto__` keys. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : toJsonText(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const parts: string[] = [];
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) parts.push(`${JSON.stringify(key)}:${toJsonText(v)}`);
    }
    return `{${parts.join(',')}}`;
  }
  const text = JSON.stringify(value);
  return text === undefined ? 'null' : text;
}

/** A deep copy that keeps RawJson tokens and own `__proto__` keys. */
export function clone<T>(value: T): T {
  if (value instanceof RawJson || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(clone) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) Object.defineProperty(out, key, { value: clone((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
  return out as T;
}

/** Strings that have broken parsers, databases, spreadsheets and loggers before, by kind. */
export const ODD_STRING_GROUPS: Record<string, string[]> = {
  // PostgreSQL text refuses NUL; lone surrogates are not UTF-8
  databaseHostile: ['\u0000', 'a\u0000b', 'label\u0000', '\ud800', '\udfff\ud800', 'x\ud83d'],
  unicode: ['\u202eevil\u202c', '\u200b', 'e\u0301\u0301\u0301', '🧪💉🦴', '\ufeffbom', '\u0007bell', 'ǅ', 'İ', 'ß', 'ﬀ', 'Ω', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '１２', '٣', 'مرحبا', 'שלום', '日本語テキスト', '\u00a0', '\u3000'],
  injection: ['=1+1', '=HYPERLINK("http://example.invalid","x")', '+SUM(A1:A9)', '-2+3', '@cmd', '\t=1', '\r=1', "'; DROP TABLE patients; --", '" OR 1=1 --', "%' OR '1'='1",
    '\\', '"', "'", '`', '../../etc/passwd', '%s%n%x', '${jndi:ldap://x}', '<script>alert(1)</script>'],
  blank: [' ', '   ', '\n', '\r\n', '\t', ''],
  lengths: ['x'.repeat(65), 'x'.repeat(101), 'x'.repeat(201), 'x'.repeat(255), 'x'.repeat(501), 'x'.repeat(2001), 'x'.repeat(4001), 'L'.repeat(10_000)],
  lookalikes: ['NaN', 'Infinity', '-Infinity', 'null', 'undefined', 'true', '0x1F', '1e309', '-0', '00012',
    '2024-02-30', '2024-13-01', '0000-00-00', '2024-01-01T00:00:00Z', '99999-01-01', '+002024-01-01', '1899-12-31', '2999-01-01', '24-1-1',
    '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'not-a-uuid', 'a@b', '@', 'x@y.z', 'UPPER@CASE.TEST'],
};
export const ODD_STRINGS: string[] = Object.values(ODD_STRING_GROUPS).flat();

export function oddString(): fc.Arbitrary<string> {
  const g = ODD_STRING_GROUPS;
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...g.databaseHostile) },
    { weight: 3, arbitrary: fc.constantFrom(...g.unicode) },
    { weight: 2, arbitrary: fc.constantFrom(...g.injection) },
    { weight: 2, arbitrary: fc.constantFrom(...g.blank) },
    { weight: 2, arbitrary: fc.constantFrom(...g.lengths) },
    { weight: 2, arbitrary: fc.constantFrom(...g.lookalikes) },
  );
}

/** Number tokens as raw JSON: overflow, underflow, negative zero, beyond double precision, exponents. */
export const SPECIAL_NUMBERS = ['1e400', '-1e400', '1e-400', '-0', '0.0', '9007199254740993', '-9007199254740993', '1e308', '-1e308', '5e-324', '1E2', '0.1e1', '123456789012345678901234567890'];

/** Strings that look like numbers, booleans or nothing. */
export const NUMBERISH_STRINGS = ['NaN', 'Infinity', '-Infinity', '1', '0', '-1', '1.5', '1e3', ' 12 ', '0x10', '１２', '', 'true', 'null'];

const WORDS = ['left', 'index', 'pulp', 'elbow', 'nodule', 'chalky', 'Ada', 'Example', 'Müller', 'Ōta', 'O\'Brien', 'José', 'finger', 'crease', 'DIP', 'joint', 'rheumatology', 'oral', '0.5', 'mg', 'daily', 'improved'];

const DAY = 86_400_000;
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
export function todayIso(): string {
  return isoDay(Date.now());
}
const EPOCH_1900 = Date.UTC(1900, 0, 1);

/** A calendar date from 1900 to today (mostly within the last few years). */
export function pastDate(): fc.Arbitrary<string> {
  const now = Date.now();
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: Math.floor((now - 5 * 365 * DAY) / DAY), max: Math.floor(now / DAY) - 1 }).map((d) => isoDay(d * DAY)) },
    { weight: 1, arbitrary: fc.integer({ min: Math.floor(EPOCH_1900 / DAY) + 1, max: Math.floor(now / DAY) - 1 }).map((d) => isoDay(d * DAY)) },
  );
}

/** Length in code points, as JSON Schema (and class-validator) count it. */
export function codePoints(s: string): number {
  return [...s].length;
}

function fitLength(s: string, min: number | undefined, max: number | undefined): string {
  let out = s;
  if (max !== undefined && codePoints(out) > max) out = [...out].slice(0, max).join('');
  while (min !== undefined && codePoints(out) < min) out += 'x';
  return out;
}

function textArb(s: Schema): fc.Arbitrary<string> {
  const maxLength = s.maxLength;
  const words = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 5 }).map((w) => w.join(' '));
  const odd = oddString();
  return fc
    .oneof(
      { weight: 8, arbitrary: words },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 40 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
      { weight: 1, arbitrary: odd },
    )
    .map((v) => fitLength(v, s.minLength, maxLength));
}

function numberArb(s: Schema, integer: boolean): fc.Arbitrary<number> {
  const exclusiveMin = s.exclusiveMinimum === true || typeof s.exclusiveMinimum === 'number';
  const exclusiveMax = s.exclusiveMaximum === true || typeof s.exclusiveMaximum === 'number';
  const min = typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : s.minimum ?? -1e6;
  const max = typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum : s.maximum ?? 1e6;
  if (integer) {
    const lo = Math.ceil(exclusiveMin ? min + 1e-9 : min);
    const hi = Math.floor(exclusiveMax ? max - 1e-9 : max);
    return fc.integer({ min: lo, max: hi });
  }
  const ints = fc
    .integer({ min: Math.ceil(min), max: Math.floor(max) })
    .filter((n) => (!exclusiveMin || n > min) && (!exclusiveMax || n < max));
  const doubles = fc.double({ min, max, minExcluded: exclusiveMin, maxExcluded: exclusiveMax, noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n));
  const decimals = fc.integer({ min: Math.ceil(min * 10), max: Math.floor(max * 10) }).map((n) => n / 10).filter((n) => (!exclusiveMin || n > min) && (!exclusiveMax || n < max));
  return fc.oneof({ weight: 3, arbitrary: ints }, { weight: 3, arbitrary: decimals }, { weight: 1, arbitrary: doubles });
}

/**
 * Values the documented schema accepts. One liberty: `format: uuid` always yields a UUID string,
 * whatever `type` says (the document has a `type: object, format: uuid` field the server reads
 * as a UUID; the request-contract suite reports that mismatch).
 */
export function validValue(s: Schema, depth = 0): fc.Arbitrary<unknown> {
  const base = validBase(s, depth);
  return s.nullable ? fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 5, arbitrary: base }) : base;
}

function validBase(s: Schema, depth: number): fc.Arbitrary<unknown> {
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  if (s.format === 'uuid') return fc.uuid({ version: 4 });
  switch (s.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return numberArb(s, true);
    case 'number':
      return numberArb(s, false);
    case 'string':
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern));
      if (s.format === 'date') return pastDate();
      if (s.format === 'date-time') return fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date(), noInvalidDate: true }).map((d) => d.toISOString());
      if (s.format === 'email') return fc.emailAddress();
      if (s.format === 'password') return fc.string({ unit: 'grapheme-ascii', minLength: Math.max(s.minLength ?? 1, 1), maxLength: Math.min(s.maxLength ?? 40, 40) });
      return textArb(s);
    case 'array': {
      const items = s.items ?? {};
      const maxLength = Math.min(s.maxItems ?? 4, 4);
      const minLength = Math.min(s.minItems ?? 0, maxLength);
      // enum items: unique (the server refuses repeats; the request-contract suite covers them)
      if (items.enum?.length) return fc.uniqueArray(fc.constantFrom(...items.enum), { minLength, maxLength: Math.min(maxLength, items.enum.length) });
      return fc.array(validValue(items, depth + 1), { minLength, maxLength: depth > 3 ? minLength : maxLength });
    }
    case 'object':
    case undefined: {
      if (!s.properties) return s.type === 'object' ? fc.constant({}) : fc.constant('x');
      const required = s.required ?? [];
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(s.properties)) model[k] = validValue(v, depth + 1);
      return fc.record(model, { requiredKeys: required.filter((k) => k in model) });
    }
  }
}

/** Any JSON-ish value, odd ones preferred. */
export function junkValue(): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.string({ maxLength: 20 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    oddString(),
    fc.constantFrom(...NUMBERISH_STRINGS),
    fc.constantFrom(...SPECIAL_NUMBERS).map((t) => new RawJson(t)),
  );
  return fc.oneof(
    { weight: 6, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(leaf, { maxLength: 5 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), leaf, { maxKeys: 4 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    { weight: 1, arbitrary: fc.integer({ min: 5, max: 200 }).map((n) => deepNest(n)) },
  );
}

/** `[{"a":[{"a":…1…}]}]` n levels deep, as a raw token (no recursion needed to write it). */
export function deepNest(n: number): RawJson {
  let open = '';
  let close = '';
  for (let i = 0; i < n; i++) {
    open += i % 2 ? '{"a":' : '[';
    close = (i % 2 ? '}' : ']') + close;
  }
  return new RawJson(`${open}1${close}`);
}

// ---------------------------------------------------------------------------------------------
// Mutations: applied at run time to the body the valid generator (and the business hints) built.

export type Mutation =
  | { op: 'drop-required'; sel: number }
  | { op: 'wrong-type'; sel: number; junk: unknown }
  | { op: 'out-of-range'; sel: number; variant: number }
  | { op: 'extra-field'; sel: number; key: string; junk: unknown }
  | { op: 'null'; sel: number }
  | { op: 'odd-string'; sel: number; text: string }
  | { op: 'enum-variant'; sel: number; variant: number }
  | { op: 'array-object-swap'; sel: number }
  | { op: 'deep-junk'; sel: number; depth: number }
  | { op: 'special-number'; sel: number; token: string }
  | { op: 'numberish-string'; sel: number; text: string }
  | { op: 'date-variant'; sel: number; text: string };

export const EXTRA_KEYS = ['extra', 'id', 'clinicId', 'version', 'createdAt', 'isAdmin', '__proto__', 'constructor', 'prototype', '', ' ', 'a.b', '$where', 'visitDate ', 'Label', '🔑'];

const DATE_VARIANTS = ['2024-02-30', '2023-02-29', '2024-13-01', '2024-00-10', '0000-00-00', '1899-12-31', '1900-01-01', '2024-1-1', '20240101', '2024/01/01', '01-02-2024', '2024-01-01T00:00:00Z', '2024-01-01 ', ' 2024-01-01', '+002024-01-01', '99999-01-01', '2999-12-31', 'today', '', '２０２４-01-01'];

export function mutationArb(): fc.Arbitrary<Mutation> {
  const sel = fc.nat();
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant('drop-required' as const), sel }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('wrong-type' as const), sel, junk: junkValue() }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('out-of-range' as const), sel, variant: fc.nat() }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('extra-field' as const), sel, key: fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string({ maxLength: 10 })), junk: junkValue() }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('null' as const), sel }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('odd-string' as const), sel, text: oddString() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('enum-variant' as const), sel, variant: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('array-object-swap' as const), sel }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('deep-junk' as const), sel, depth: fc.constantFrom(50, 500, 5000) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('special-number' as const), sel, token: fc.constantFrom(...SPECIAL_NUMBERS) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('numberish-string' as const), sel, text: fc.constantFrom(...NUMBERISH_STRINGS) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('date-variant' as const), sel, text: fc.constantFrom(...DATE_VARIANTS) }) },
  );
}

interface Slot {
  path: (string | number)[];
  schema: Schema | null;
  required: boolean;
}

/** Every place in the value, with the schema that governs it (null for undocumented places). */
export function slotsOf(value: unknown, schema: Schema | null, path: (string | number)[] = [], required = true): Slot[] {
  const out: Slot[] = [{ path, schema, required }];
  if (Array.isArray(value)) {
    value.forEach((v, i) => out.push(...slotsOf(v, schema?.items ?? null, [...path, i], false)));
  } else if (value !== null && typeof value === 'object' && !(value instanceof RawJson)) {
    for (const key of Object.keys(value)) {
      const sub = schema?.properties?.[key] ?? null;
      out.push(...slotsOf((value as Record<string, unknown>)[key], sub, [...path, key], schema?.required?.includes(key) ?? false));
    }
  }
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (!path.length) return value;
  let node = root as Record<string | number, unknown>;
  for (const p of path.slice(0, -1)) node = node[p] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  return root;
}

function deleteAt(root: unknown, path: (string | number)[]): unknown {
  let node = root as Record<string | number, unknown>;
  for (const p of path.slice(0, -1)) node = node[p] as Record<string | number, unknown>;
  delete node[path[path.length - 1]];
  return root;
}

function getAt(root: unknown, path: (string | number)[]): unknown {
  let node = root as Record<string | number, unknown>;
  for (const p of path) node = node[p] as Record<string | number, unknown>;
  return node;
}

function jsonTypeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof RawJson) return 'number';
  return typeof v;
}

function schemaJsonType(s: Schema | null): string | null {
  if (!s) return null;
  if (s.format === 'uuid' || s.enum) return 'string';
  if (s.type === 'integer') return 'number';
  return s.type ?? null;
}

const pick = <T>(xs: T[], sel: number): T | undefined => (xs.length ? xs[sel % xs.length] : undefined);

/** The mutated copy of `body` and a description of what was changed. */
export function applyMutation(body: Record<string, unknown>, schema: Schema, m: Mutation): { value: unknown; what: string } {
  const value = clone(body);
  const slots = slotsOf(value, schema).filter((s) => s.path.length > 0);
  const where = (s: Slot) => s.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '') || '(root)';
  const objectSlots = slotsOf(value, schema).filter((s) => {
    const v = getAt(value, s.path);
    return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RawJson);
  });
  switch (m.op) {
    case 'drop-required': {
      const slot = pick(slots.filter((s) => s.required && typeof s.path[s.path.length - 1] === 'string'), m.sel);
      if (!slot) break;
      return { value: deleteAt(value, slot.path), what: `drop required ${where(slot)}` };
    }
    case 'wrong-type': {
      const slot = pick(slots.filter((s) => s.schema), m.sel);
      if (!slot) break;
      let junk = m.junk;
      if (jsonTypeOf(junk) === schemaJsonType(slot.schema)) junk = schemaJsonType(slot.schema) === 'string' ? 12345 : 'wrong type';
      return { value: setAt(value, slot.path, junk), what: `wrong type at ${where(slot)}: ${toJsonText(junk).slice(0, 80)}` };
    }
    case 'out-of-range': {
      const slot = pick(slots.filter((s) => s.schema && (['number', 'integer', 'array'].includes(s.schema.type ?? '') || s.schema.maxLength !== undefined || s.schema.minLength !== undefined)), m.sel);
      if (!slot?.schema) break;
      const s = slot.schema;
      let next: unknown;
      if (s.type === 'number' || s.type === 'integer') {
        const options: unknown[] = [];
        if (s.minimum !== undefined) options.push(s.minimum - 1, s.minimum - 1e-9, s.exclusiveMinimum ? s.minimum : s.minimum - 0.5);
        if (s.maximum !== undefined) options.push(s.maximum + 1, s.maximum + 1e-9, s.exclusiveMaximum ? s.maximum : s.maximum + 0.5);
        if (s.type === 'integer') options.push(((s.minimum ?? 0) + (s.maximum ?? 10)) / 2 + 0.25);
        options.push(-1e308, 1e308, -1, 0, Number.MAX_SAFE_INTEGER + 2);
        next = options[m.variant % options.length];
      } else if (s.type === 'array') {
        const current = getAt(value, slot.path);
        const item = Array.isArray(current) && current.length ? current[0] : null;
        const n = (s.maxItems ?? 100) + 1 + (m.variant % 3);
        next = Array.from({ length: n }, () => clone(item));
      } else {
        next = m.variant % 2 && s.minLength ? 'x'.repeat(Math.max(0, s.minLength - 1)) : 'y'.repeat((s.maxLength ?? 10_000) + 1 + (m.variant % 5));
      }
      return { value: setAt(value, slot.path, next), what: `out of range at ${where(slot)}: ${toJsonText(next).slice(0, 60)}` };
    }
    case 'extra-field': {
      const slot = pick(objectSlots, m.sel) ?? { path: [], schema, required: true };
      const target = getAt(value, slot.path) as Record<string, unknown>;
      Object.defineProperty(target, m.key, { value: m.junk, enumerable: true, writable: true, configurable: true });
      return { value, what: `extra field ${JSON.stringify(m.key)} at ${where(slot)}` };
    }
    case 'null': {
      const slot = pick(slots.filter((s) => s.schema && !s.schema.nullable), m.sel);
      if (!slot) break;
      return { value: setAt(value, slot.path, null), what: `null at non-nullable ${where(slot)}` };
    }
    case 'odd-string': {
      const slot = pick(slots.filter((s) => schemaJsonType(s.schema) === 'string'), m.sel);
      if (!slot) break;
      return { value: setAt(value, slot.path, m.text), what: `odd string at ${where(slot)}: ${JSON.stringify(m.text.slice(0, 40))}` };
    }
    case 'enum-variant': {
      const slot = pick(slots.filter((s) => s.schema?.enum?.length), m.sel);
      const current = slot ? getAt(value, slot.path) : undefined;
      if (!slot || typeof current !== 'string') break;
      const variants = [current.toUpperCase(), ` ${current}`, `${current} `, current.replace(/-/g, '_'), `${current}s`, current.slice(0, -1), 'other-value', ''];
      const next = variants[m.variant % variants.length];
      return { value: setAt(value, slot.path, next), what: `enum variant at ${where(slot)}: ${JSON.stringify(next)}` };
    }
    case 'array-object-swap': {
      const slot = pick(slots.filter((s) => s.schema && (s.schema.type === 'object' || s.schema.type === 'array' || s.schema.properties)), m.sel);
      if (!slot) break;
      const current = getAt(value, slot.path);
      const next = Array.isArray(current) ? Object.fromEntries(current.map((v, i) => [String(i), v])) : [current];
      return { value: setAt(value, slot.path, next), what: `array/object swapped at ${where(slot)}` };
    }
    case 'deep-junk': {
      const slot = pick(slots, m.sel) ?? { path: ['deep'], schema: null, required: false };
      return { value: setAt(value, slot.path, deepNest(m.depth)), what: `${m.depth}-deep nesting at ${where(slot)}` };
    }
    case 'special-number': {
      const numeric = slots.filter((s) => s.schema?.type === 'number' || s.schema?.type === 'integer');
      const slot = pick(numeric.length ? numeric : slots, m.sel);
      if (!slot) break;
      return { value: setAt(value, slot.path, new RawJson(m.token)), what: `number token ${m.token} at ${where(slot)}` };
    }
    case 'numberish-string': {
      const numeric = slots.filter((s) => s.schema?.type === 'number' || s.schema?.type === 'integer' || s.schema?.type === 'boolean');
      const slot = pick(numeric.length ? numeric : slots, m.sel);
      if (!slot) break;
      return { value: setAt(value, slot.path, m.text), what: `numberish string ${JSON.stringify(m.text)} at ${where(slot)}` };
    }
    case 'date-variant': {
      const dates = slots.filter((s) => s.schema?.format === 'date' || s.schema?.format === 'date-time');
      const slot = pick(dates.length ? dates : slots, m.sel);
      if (!slot) break;
      return { value: setAt(value, slot.path, m.text), what: `date variant ${JSON.stringify(m.text)} at ${where(slot)}` };
    }
  }
  // nothing to mutate in this body (e.g. `{}`): an unknown field always is a mutation
  Object.defineProperty(value, 'unexpected', { value: true, enumerable: true, writable: true, configurable: true });
  return { value, what: `${m.op} had no target: extra field "unexpected" instead` };
}

// ---------------------------------------------------------------------------------------------
// Bodies that are not a JSON object, or not JSON at all.

export interface RawBody {
  text: string;
  contentType: string;
  contentEncoding?: string;
  what: string;
}

function deepText(n: number): string {
  return `{"a":${'['.repeat(n)}${']'.repeat(n)}}`;
}

export const MALFORMED_BODIES: RawBody[] = [
  { text: '{"a":', contentType: 'application/json', what: 'truncated JSON' },
  { text: "{'a':1}", contentType: 'application/json', what: 'single-quoted JSON' },
  { text: '{"a":1,}', contentType: 'application/json', what: 'trailing comma' },
  { text: 'NaN', contentType: 'application/json', what: 'NaN' },
  { text: 'null', contentType: 'application/json', what: 'JSON null' },
  { text: '[]', contentType: 'application/json', what: 'JSON array' },
  { text: '[{}]', contentType: 'application/json', what: 'array of object' },
  { text: '"text"', contentType: 'application/json', what: 'JSON string' },
  { text: '123', contentType: 'application/json', what: 'JSON number' },
  { text: 'true', contentType: 'application/json', what: 'JSON boolean' },
  { text: '\ufeff{}', contentType: 'application/json', what: 'byte-order mark' },
  { text: '{}{}', contentType: 'application/json', what: 'two objects' },
  { text: '{} trailing', contentType: 'application/json', what: 'trailing garbage' },
  { text: '{"__proto__":{"polluted":1}}', contentType: 'application/json', what: '__proto__ key' },
  { text: '{"constructor":{"prototype":{"polluted":1}}}', contentType: 'application/json', what: 'constructor.prototype key' },
  { text: '{"a":{"__proto__":[]}}', contentType: 'application/json', what: 'nested __proto__ key' },
  { text: '{"a":1,"a":{"b":2}}', contentType: 'application/json', what: 'duplicate keys' },
  { text: '{"a":"\\ud800"}', contentType: 'application/json', what: 'lone surrogate escape' },
  { text: '{"a":"\\u0000"}', contentType: 'application/json', what: 'NUL escape' },
  { text: '{"a":1e400}', contentType: 'application/json', what: 'overflowing number' },
  { text: deepText(1_000), contentType: 'application/json', what: '1,000-deep arrays' },
  { text: deepText(20_000), contentType: 'application/json', what: '20,000-deep arrays' },
  { text: deepText(200_000), contentType: 'application/json', what: '200,000-deep arrays' },
  { text: `{"a":"${'x'.repeat(1_100_000)}"}`, contentType: 'application/json', what: 'body over 1 MB' },
  { text: '', contentType: 'application/json', what: 'empty body' },
  { text: '   ', contentType: 'application/json', what: 'whitespace body' },
  { text: '{}', contentType: 'text/plain', what: 'JSON sent as text/plain' },
  { text: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded', what: 'form body' },
  { text: '<a>1</a>', contentType: 'application/xml', what: 'XML body' },
  { text: '{}', contentType: 'application/json; charset=utf-16', what: 'utf-16 charset' },
  { text: '{}', contentType: 'application/json; charset=latin1', what: 'latin1 charset' },
  { text: '{}', contentType: 'application/json', contentEncoding: 'gzip', what: 'gzip header on plain body' },
  { text: '{}', contentType: 'application/json', contentEncoding: 'br;q=1, x-unknown', what: 'unknown content-encoding' },
  { text: '{}', contentType: 'multipart/form-data; boundary=x', what: 'multipart without parts' },
  { text: '{}', contentType: 'application/json-patch+json', what: 'json-patch media type' },
  { text: '{}', contentType: '*/*', what: 'wildcard content type' },
  { text: '{}', contentType: 'application/json; charset=', what: 'empty charset' },
];
