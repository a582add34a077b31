/**
 * The OpenAPI document as the fuzzer reads it: every write operation, its request body schema and
 * its 2xx response schema, with `$ref`s resolved and `allOf` merged into one plain schema tree.
 *
 * Anything the generators do not understand (a keyword, a media type, a required header, a path
 * parameter without an id pool) is reported as unsupported, so a new route can never be skipped
 * silently: the suite fails and names it.
 */

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';

/** A request/response schema after `$ref` resolution and `allOf` merging (OpenAPI 3.0 flavour). */
export interface Schema {
  type?: JsonType;
  nullable?: boolean;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  minLength?: number;
  maxLength?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  default?: unknown;
  description?: string;
  example?: unknown;
  /** the component the schema came from (`CreateVisitDto`), for business hints */
  name?: string;
}

export interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, unknown> };
}

interface RawParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: unknown;
}

interface RawOperation {
  summary?: string;
  parameters?: RawParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  security?: unknown[];
}

export interface WriteOperation {
  method: 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path template, e.g. `/api/v1/patients/{id}/visits` */
  path: string;
  /** `POST /api/v1/patients/{id}/visits` */
  key: string;
  pathParams: string[];
  queryParams: string[];
  headerParams: string[];
  requestSchema: Schema | null;
  /** the first 2xx response: its status and JSON schema (null for 204 / no content) */
  successStatus: number;
  responseSchema: Schema | null;
}

const WRITE_METHODS = ['post', 'put', 'patch', 'delete'] as const;

const KNOWN_KEYWORDS = new Set([
  'type', 'nullable', 'enum', 'format', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'minLength', 'maxLength', 'items', 'minItems', 'maxItems', 'uniqueItems', 'properties', 'required',
  'additionalProperties', 'default', 'description', 'example', 'examples', 'title', 'readOnly', 'writeOnly', 'deprecated',
  '$ref', 'allOf',
]);

/** Headers the fuzzer knows how to vary. A route documenting any other header is unsupported. */
export const KNOWN_HEADERS = new Set(['if-match', 'idempotency-key']);

export class UnsupportedSchemaError extends Error {}

/** Resolves `$ref`s and merges `allOf`, recursively. Throws on keywords the generators do not handle. */
export function resolveSchema(doc: OpenApiDoc, raw: unknown, where: string, seen: string[] = []): Schema {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new UnsupportedSchemaError(`${where}: not a schema object`);
  const node = raw as Record<string, unknown>;
  for (const key of Object.keys(node)) {
    if (!KNOWN_KEYWORDS.has(key) && !key.startsWith('x-')) throw new UnsupportedSchemaError(`${where}: schema keyword "${key}" is not supported by the fuzz generators`);
  }
  if (typeof node.$ref === 'string') {
    const m = /^#\/components\/schemas\/(.+)$/.exec(node.$ref);
    if (!m) throw new UnsupportedSchemaError(`${where}: $ref ${node.$ref} is not a component schema`);
    const name = decodeURIComponent(m[1]);
    if (seen.includes(name)) throw new UnsupportedSchemaError(`${where}: recursive schema ${[...seen, name].join(' → ')}`);
    const target = doc.components?.schemas?.[name];
    if (!target) throw new UnsupportedSchemaError(`${where}: $ref ${node.$ref} names no component`);
    const resolved = resolveSchema(doc, target, `${where}→${name}`, [...seen, name]);
    const { $ref: _ref, ...siblings } = node;
    return { ...resolved, ...(siblings as Partial<Schema>), name: resolved.name ?? name };
  }
  let out: Schema = {};
  if (Array.isArray(node.allOf)) {
    for (const [i, part] of (node.allOf as unknown[]).entries()) out = mergeSchemas(out, resolveSchema(doc, part, `${where}.allOf[${i}]`, seen));
  }
  const { allOf: _allOf, properties, items, additionalProperties, ...rest } = node;
  out = mergeSchemas(out, rest as Schema);
  if (properties && typeof properties === 'object') {
    const props: Record<string, Schema> = { ...(out.properties ?? {}) };
    for (const [k, v] of Object.entries(properties as Record<string, unknown>)) props[k] = resolveSchema(doc, v, `${where}.${k}`, seen);
    out.properties = props;
  }
  if (items !== undefined) out.items = resolveSchema(doc, items, `${where}[]`, seen);
  if (additionalProperties !== undefined) {
    out.additionalProperties = typeof additionalProperties === 'boolean' ? additionalProperties : resolveSchema(doc, additionalProperties, `${where}{*}`, seen);
  }
  if (out.type !== undefined && !['object', 'array', 'string', 'number', 'integer', 'boolean'].includes(out.type)) {
    throw new UnsupportedSchemaError(`${where}: type ${String(out.type)} is not supported`);
  }
  return out;
}

function mergeSchemas(a: Schema, b: Schema): Schema {
  const out: Schema = { ...a, ...b };
  if (a.properties || b.properties) out.properties = { ...(a.properties ?? {}), ...(b.properties ?? {}) };
  if (a.required || b.required) out.required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])];
  if (a.name && b.name === undefined) out.name = a.name;
  return out;
}

/** Every POST/PUT/PATCH/DELETE in `paths`, with what the fuzzer needs; `problems` lists what it cannot handle. */
export function writeOperations(doc: OpenApiDoc): { operations: WriteOperation[]; problems: string[] } {
  const operations: WriteOperation[] = [];
  const problems: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const method of WRITE_METHODS) {
      const op = ops[method];
      if (!op) continue;
      const key = `${method.toUpperCase()} ${path}`;
      try {
        operations.push(describeOperation(doc, method, path, key, op));
      } catch (err) {
        problems.push(`${key}: ${(err as Error).message}`);
      }
    }
  }
  return { operations, problems };
}

function describeOperation(doc: OpenApiDoc, method: WriteOperation['method'], path: string, key: string, op: RawOperation): WriteOperation {
  const params = op.parameters ?? [];
  const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const pathParams = params.filter((p) => p.in === 'path').map((p) => p.name);
  for (const name of templated) if (!pathParams.includes(name)) pathParams.push(name);
  const headerParams = params.filter((p) => p.in === 'header').map((p) => p.name);
  for (const p of params) {
    if (p.in === 'header' && !KNOWN_HEADERS.has(p.name.toLowerCase())) throw new UnsupportedSchemaError(`header parameter ${p.name} is not known to the fuzzer`);
    if (p.in === 'cookie') throw new UnsupportedSchemaError(`cookie parameter ${p.name} is not supported`);
  }
  const queryParams = params.filter((p) => p.in === 'query').map((p) => p.name);

  let requestSchema: Schema | null = null;
  const content = op.requestBody?.content;
  if (content && Object.keys(content).length) {
    const json = content['application/json'];
    if (!json?.schema) throw new UnsupportedSchemaError(`request body media types ${Object.keys(content).join(', ')}: only application/json is supported`);
    requestSchema = resolveSchema(doc, json.schema, `${key} request`);
    if (requestSchema.type !== 'object') throw new UnsupportedSchemaError(`request body is not an object schema`);
  }

  const success = Object.entries(op.responses ?? {}).filter(([code]) => /^2\d\d$/.test(code));
  if (!success.length) throw new UnsupportedSchemaError('no 2xx response documented');
  const [code, response] = success[0];
  let responseSchema: Schema | null = null;
  const responseContent = response.content ?? {};
  if (Object.keys(responseContent).length) {
    const json = responseContent['application/json'];
    if (!json?.schema) throw new UnsupportedSchemaError(`2xx response media types ${Object.keys(responseContent).join(', ')}: only application/json is supported`);
    responseSchema = resolveSchema(doc, json.schema, `${key} response ${code}`);
  } else if (code !== '204') {
    throw new UnsupportedSchemaError(`${code} response without a JSON schema`);
  }
  return { method, path, key, pathParams, queryParams, headerParams, requestSchema, successStatus: Number(code), responseSchema };
}

/**
 * The schema as JSON Schema for ajv: `nullable: true` becomes a union with null (ajv's own
 * `nullable` keyword does not reach through `allOf`/`$ref`), OpenAPI 3.0's boolean
 * `exclusiveMinimum`/`exclusiveMaximum` become the numeric form. `closed` adds
 * `additionalProperties: false` to every object that lists its properties (undocumented fields).
 */
export function toJsonSchema(s: Schema, closed = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (s.type) out.type = s.type;
  if (s.enum) out.enum = s.enum;
  if (s.format) out.format = s.format;
  if (s.pattern) out.pattern = s.pattern;
  if (s.minimum !== undefined) {
    if (s.exclusiveMinimum === true) out.exclusiveMinimum = s.minimum;
    else out.minimum = s.minimum;
  }
  if (typeof s.exclusiveMinimum === 'number') out.exclusiveMinimum = s.exclusiveMinimum;
  if (s.maximum !== undefined) {
    if (s.exclusiveMaximum === true) out.exclusiveMaximum = s.maximum;
    else out.maximum = s.maximum;
  }
  if (typeof s.exclusiveMaximum === 'number') out.exclusiveMaximum = s.exclusiveMaximum;
  for (const k of ['minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems'] as const) if (s[k] !== undefined) out[k] = s[k];
  if (s.items) out.items = toJsonSchema(s.items, closed);
  if (s.properties) {
    out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, toJsonSchema(v, closed)]));
    if (closed && s.additionalProperties === undefined) out.additionalProperties = false;
  }
  if (s.required?.length) out.required = s.required;
  if (s.additionalProperties !== undefined) out.additionalProperties = typeof s.additionalProperties === 'boolean' ? s.additionalProperties : toJsonSchema(s.additionalProperties, closed);
  if (s.nullable) return { anyOf: [{ type: 'null' }, out] };
  return out;
}

/** `/api/v1/patients/{id}/visits` → the path segment naming each parameter's resource (`patients`). */
export function resourceOfParam(path: string, param: string): string | null {
  const segments = path.split('/').filter(Boolean);
  const i = segments.indexOf(`{${param}}`);
  return i > 0 ? segments[i - 1] : null;
}
