import { SYSTEMS, type QuantityCode } from './fhir-codes';
import type { CodeableConcept, Quantity, Reference } from './fhir.types';
import { urnOf } from './fhir-ids';

export function quantity(value: number, unit: string): Quantity {
  return { value, unit, system: SYSTEMS.ucum, code: unit };
}

/** LOINC first when there is one, then the local code; text always. */
export function codeOf(c: QuantityCode, localSystem: string = SYSTEMS.measurement): CodeableConcept {
  return {
    coding: [...(c.loinc ? [{ system: SYSTEMS.loinc, code: c.loinc }] : []), { system: localSystem, code: c.code, display: c.text }],
    text: c.text,
  };
}

export function category(code: 'exam' | 'imaging' | 'laboratory' | 'survey'): CodeableConcept[] {
  return [{ coding: [{ system: SYSTEMS.observationCategory, code }] }];
}

export function ref(id: string, display?: string): Reference {
  return display === undefined ? { reference: urnOf(id) } : { reference: urnOf(id), display };
}

export function text(value: string): CodeableConcept {
  return { text: value };
}

/** Drops the fields that are undefined, so a resource never carries `"field": undefined`. */
export function compact<T extends object>(resource: T): T {
  return Object.fromEntries(Object.entries(resource).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as T;
}
