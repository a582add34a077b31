import { get, type FieldErrors, type FieldValues, type Path, type UseFormSetError } from 'react-hook-form';
import { ApiError } from '../api/errors';
import type { FieldError } from '../api/types';

/** The message of a field's error, by its form path (`rows.2.longestDiameterMm`). */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  const e = get(errors, path) as { message?: unknown } | undefined;
  return typeof e?.message === 'string' ? e.message : undefined;
}

/** `evaluations[0].position.xMm` → ['evaluations', 0, 'position', 'xMm'] */
export function fieldPath(field: string): (string | number)[] {
  const parts: (string | number)[] = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return parts;
}

/** "longestDiameterMm must not be less than 0" → "must not be less than 0" (the label already says which). */
function plain(field: string, message: string): string {
  const last = fieldPath(field).at(-1);
  const text = typeof last === 'string' && message.startsWith(`${last} `) ? message.slice(last.length + 1) : message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Puts each of the API's field errors on the form field it names. `toFormPath` turns the API's
 * field into the form's path (null: no field of this form shows it). Returns what no field took,
 * for the form's own summary.
 */
export function applyApiErrors<T extends FieldValues>(
  err: unknown,
  setError: UseFormSetError<T>,
  toFormPath: (apiField: string) => string | null,
): FieldError[] {
  if (!(err instanceof ApiError)) return [];
  const unplaced: FieldError[] = [];
  let first = true;
  for (const detail of err.details) {
    const path = toFormPath(detail.field);
    if (path === null) {
      unplaced.push(detail);
      continue;
    }
    setError(path as Path<T>, { type: 'server', message: detail.messages.map((m) => plain(detail.field, m)).join('; ') }, { shouldFocus: first });
    first = false;
  }
  return unplaced;
}

/** Text typed into a number field, as the API should see it: a number when it is one, else the text itself (the API names the field). */
export function numberOrText(text: string | undefined | null): number | string | undefined {
  const t = (text ?? '').trim();
  if (t === '') return undefined;
  const n = Number(t.replace(',', '.'));
  return Number.isFinite(n) && /^[-+]?\d*[.,]?\d+(e[-+]?\d+)?$/i.test(t) ? n : t;
}
