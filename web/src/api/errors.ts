import type { FieldError } from './types';

/** An error answer of the API, in its one shape: `{statusCode, error, message, details?}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly details: FieldError[];

  constructor(status: number, body: unknown) {
    const b = (body && typeof body === 'object' ? body : {}) as { message?: unknown; details?: unknown };
    super(typeof b.message === 'string' ? b.message : `the service answered ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.details = Array.isArray(b.details)
      ? b.details.filter((d): d is FieldError => !!d && typeof d.field === 'string' && Array.isArray(d.messages))
      : [];
  }
}

/** The data of an openapi-fetch result, or its error thrown as an ApiError. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (!result.response.ok) throw new ApiError(result.response.status, result.error);
  return result.data as T;
}

/** A sentence a person can read for any error: the API's own message, or what went wrong. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 403) return `Not allowed: ${err.message}`;
    if (err.status >= 500) return `The service could not do it (${err.status}). Please try again.`;
    return err.message;
  }
  if (err instanceof TypeError) return 'The service cannot be reached. Check the connection and try again.';
  return err instanceof Error ? err.message : String(err);
}
