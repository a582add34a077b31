import { type ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, ErrorCode, type FieldError } from '../errors/domain-error';

/** `evaluations.0.longestDiameterMm` → `evaluations[0].longestDiameterMm` */
function joinPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = joinPath(parent, error.property);
    const messages = Object.values(error.constraints ?? {}).map((m) =>
      m.startsWith(`property ${error.property} should not exist`) ? 'is not a known field' : m.replace(/^(\S+) /, ''),
    );
    if (messages.length) out.push({ field, messages });
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/** Strict: unknown fields are refused, nothing is converted behind the caller's back, every field error is named. */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = flattenValidationErrors(errors);
      const message = details.map((d) => `${d.field} ${d.messages.join(', ')}`).join('; ') || 'invalid request';
      return new DomainError(ErrorCode.Validation, message, details);
    },
  });
}
