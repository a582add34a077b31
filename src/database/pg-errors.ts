/** PostgreSQL error helpers; TypeORM wraps the driver error as `driverError`. */
interface PgLikeError {
  code?: string;
  constraint?: string;
  driverError?: { code?: string; constraint?: string };
}

function pgError(err: unknown): { code?: string; constraint?: string } {
  const e = err as PgLikeError;
  return e?.driverError ?? e ?? {};
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = pgError(err);
  return e.code === '23505' && (!constraint || e.constraint === constraint);
}

export function isSerializationFailure(err: unknown): boolean {
  const code = pgError(err).code;
  return code === '40001' || code === '40P01';
}
