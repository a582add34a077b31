/** The one error vocabulary of the service; the HTTP status of each code is decided in one place. */
export enum ErrorCode {
  Validation = 'VALIDATION',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  PreconditionFailed = 'PRECONDITION_FAILED',
  Unprocessable = 'UNPROCESSABLE',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  Unavailable = 'UNAVAILABLE',
}

export interface FieldError {
  field: string;
  messages: string[];
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldError[],
  ) {
    super(message);
  }

  static notFound(what: string): DomainError {
    return new DomainError(ErrorCode.NotFound, `${what} not found`);
  }

  static preconditionFailed(what: string): DomainError {
    return new DomainError(ErrorCode.PreconditionFailed, `the ${what} was changed by someone else (If-Match is stale); reload and try again`);
  }

  /** A bad value in one named field of the request. */
  static invalid(field: string, message: string): DomainError {
    return new DomainError(ErrorCode.Validation, `${field}: ${message}`, [{ field, messages: [message] }]);
  }
}
