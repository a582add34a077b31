import type { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';

/** The part of class-validator's (unexported) ValidationMetadata read here. */
interface ValidationMetadata {
  propertyName: string;
  name?: string;
  each?: boolean;
  constraints?: unknown[];
}

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; items?: Schema; type?: string };

/** How each validator shows in a JSON schema. */
function applyConstraint(schema: Schema, name: string, constraints: unknown[]): void {
  switch (name) {
    case 'maxLength':
      schema.maxLength = constraints[0];
      break;
    case 'minLength':
      schema.minLength = Math.max(Number(schema.minLength ?? 0), Number(constraints[0]));
      break;
    case 'isNotBlank':
      schema.minLength = Math.max(Number(schema.minLength ?? 0), 1);
      schema.pattern = '\\S';
      break;
    case 'isEmail':
      schema.format = 'email';
      break;
    case 'isUuid':
      schema.format = 'uuid';
      break;
    case 'isCalendarDate':
      schema.format = 'date';
      break;
    case 'min':
      schema.minimum = constraints[0];
      break;
    case 'max':
      schema.maximum = constraints[0];
      break;
    case 'isPositive':
      schema.minimum = 0;
      schema.exclusiveMinimum = true;
      break;
    case 'isInt':
      schema.type = 'integer';
      break;
    case 'arrayMaxSize':
      schema.maxItems = constraints[0];
      break;
    case 'arrayMinSize':
      schema.minItems = constraints[0];
      break;
    case 'arrayUnique':
      schema.uniqueItems = true;
      break;
    case 'matches':
      if (constraints[0] instanceof RegExp) schema.pattern = constraints[0].source;
      break;
    default:
      break;
  }
}

/**
 * The OpenAPI document states what the validators enforce: lengths, ranges, formats, patterns and
 * array limits are read from each DTO's class-validator metadata, so the document and the server
 * can never disagree on them.
 */
export function addValidationConstraints(document: OpenAPIObject): OpenAPIObject {
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas: Map<new () => object, ValidationMetadata[]>;
    getTargetValidationMetadatas(target: object, schema: string, always: boolean, strictGroups: boolean): ValidationMetadata[];
  };
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  for (const target of storage.validationMetadatas.keys()) {
    const schema = schemas[target.name];
    if (!schema?.properties) continue;
    for (const m of storage.getTargetValidationMetadatas(target, '', true, false)) {
      const property = schema.properties[m.propertyName];
      if (!property || '$ref' in property || !m.name) continue;
      const where = m.each && property.type === 'array' && property.items && !('$ref' in property.items) ? property.items : property;
      applyConstraint(where, m.name, m.constraints ?? []);
    }
  }
  return document;
}
