import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { toJsonSchema, type Schema } from './openapi';

/** ajv for OpenAPI response schemas: formats checked, OpenAPI-only keywords ignored. */
export function createAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat('password', true);
  ajv.addFormat('binary', true);
  return ajv;
}

export interface ResponseValidators {
  documented: ValidateFunction;
  /** the same schema with `additionalProperties: false` on every documented object */
  closed: ValidateFunction;
}

export function responseValidators(ajv: Ajv, schema: Schema): ResponseValidators {
  return { documented: ajv.compile(toJsonSchema(schema)), closed: ajv.compile(toJsonSchema(schema, true)) };
}

export function ajvErrors(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).slice(0, 6).map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}

/** Problems with a 4xx body: the one error shape `{statusCode, error, message, details?, requestId?}`. */
export function errorShapeProblems(status: number, body: unknown, contentType: string | undefined): string[] {
  const problems: string[] = [];
  if (!contentType?.includes('application/json')) problems.push(`content-type ${contentType ?? '(none)'} is not JSON`);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [...problems, 'body is not a JSON object'];
  const b = body as Record<string, unknown>;
  if (b.statusCode !== status) problems.push(`statusCode ${JSON.stringify(b.statusCode)} ≠ HTTP status ${status}`);
  if (typeof b.error !== 'string' || !b.error) problems.push('error is not a non-empty string');
  if (typeof b.message !== 'string' || !b.message) problems.push('message is not a non-empty string');
  if (b.details !== undefined) {
    const ok = Array.isArray(b.details) && b.details.every((d) => d && typeof d === 'object' && typeof (d as { field?: unknown }).field === 'string' && Array.isArray((d as { messages?: unknown }).messages) && ((d as { messages: unknown[] }).messages).every((m) => typeof m === 'string'));
    if (!ok) problems.push('details is not a list of {field, messages[]}');
  }
  if (b.requestId !== undefined && typeof b.requestId !== 'string') problems.push('requestId is not a string');
  const extra = Object.keys(b).filter((k) => !['statusCode', 'error', 'message', 'details', 'requestId'].includes(k));
  if (extra.length) problems.push(`unexpected keys ${extra.join(', ')}`);
  return problems;
}

/** The keys whose value differs between two fingerprints. */
export function fingerprintDiff(before: Record<string, string>, after: Record<string, string>, ignore: (key: string) => boolean): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => !ignore(k) && before[k] !== after[k]).sort();
}
