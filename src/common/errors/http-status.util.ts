import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from './domain-error';

export function httpStatusOf(code: ErrorCode): HttpStatus {
  switch (code) {
    case ErrorCode.Validation:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.Unauthenticated:
      return HttpStatus.UNAUTHORIZED;
    case ErrorCode.Forbidden:
      return HttpStatus.FORBIDDEN;
    case ErrorCode.NotFound:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.Conflict:
      return HttpStatus.CONFLICT;
    case ErrorCode.PreconditionFailed:
      return HttpStatus.PRECONDITION_FAILED;
    case ErrorCode.Unprocessable:
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case ErrorCode.TooManyRequests:
      return HttpStatus.TOO_MANY_REQUESTS;
    case ErrorCode.Unavailable:
      return HttpStatus.SERVICE_UNAVAILABLE;
  }
}
