import { registerDecorator, ValidateIf, type ValidationArguments, type ValidationOptions } from 'class-validator';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) && Number(m[1]) >= 1900;
}

/**
 * Today's date in the time zone that is furthest ahead (UTC+14): a clinic anywhere may log a visit
 * dated its own "today", and nothing later.
 */
export function latestPossibleToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 14 * 3600_000).toISOString().slice(0, 10);
}

/** A real calendar date written YYYY-MM-DD, from 1900 on. */
export function IsCalendarDate(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: object.constructor,
      propertyName,
      options: { message: (a: ValidationArguments) => `${a.property} must be a date written YYYY-MM-DD`, ...options },
      validator: { validate: (value: unknown) => isCalendarDate(value) },
    });
}

/** A calendar date that is not in the future anywhere on Earth. */
export function IsNotFutureDate(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isNotFutureDate',
      target: object.constructor,
      propertyName,
      options: { message: (a: ValidationArguments) => `${a.property} must not be in the future`, ...options },
      validator: { validate: (value: unknown) => !isCalendarDate(value) || value <= latestPossibleToday() },
    });
}

/**
 * The field may be left out, but when present it is validated — null included, so a field that has
 * no "empty" value is refused as null instead of reaching a NOT NULL column. (`@IsOptional()` is for
 * fields that may be null.)
 */
export function IsOmittable(options?: ValidationOptions) {
  return ValidateIf((_: object, value: unknown) => value !== undefined, options);
}

/** A string with at least one visible character. */
export function IsNotBlank(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isNotBlank',
      target: object.constructor,
      propertyName,
      options: { message: (a: ValidationArguments) => `${a.property} must be a non-empty text`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && value.trim().length > 0 },
    });
}

/** A JSON object (not an array, not null) when present; says nothing when the field is absent. */
export function IsJsonObject(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isJsonObject',
      target: object.constructor,
      propertyName,
      options: { message: (a: ValidationArguments) => `${a.property} must be an object`, ...options },
      validator: { validate: (value: unknown) => value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value)) },
    });
}
