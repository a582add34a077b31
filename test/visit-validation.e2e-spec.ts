import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { countRows, createClinic, createPatient, errorFields, isoDateFromToday, newDepositInput, type TestClinic } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * Every kind of bad input a visit can receive is a 400 naming the field, and nothing is stored.
 * The ids of the deposits exist only once the set-up ran: a row builds its body from them.
 */
interface Ids {
  finger: string;
  elbow: string;
  otherPatientsDeposit: string;
}

interface BadVisit {
  story: string;
  body: (ids: Ids) => unknown;
  field: string;
  /** sent as is, with content-type application/json */
  raw?: (ids: Ids) => string;
}

const VISIT_DATE = '2025-06-02';
const fingerEvaluation = (ids: Ids, extra: Record<string, unknown> = {}) => ({ depositId: ids.finger, method: 'caliper', longestDiameterMm: 9, ...extra });
const withEvaluation = (extra: Record<string, unknown>) => (ids: Ids) => ({ visitDate: VISIT_DATE, evaluations: [fingerEvaluation(ids, extra)] });
const withoutKey = (object: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(object).filter(([k]) => k !== key));
const withNewDeposit = (deposit: Record<string, unknown>) => () => ({ visitDate: VISIT_DATE, newDeposits: [deposit] });

const BAD_VISITS: BadVisit[] = [
  // the date of the encounter
  { story: 'staff forget to fill in the visit date', body: (ids) => ({ evaluations: [fingerEvaluation(ids)] }), field: 'visitDate' },
  { story: 'the visit date is typed as words ("last tuesday")', body: (ids) => ({ visitDate: 'last tuesday', evaluations: [fingerEvaluation(ids)] }), field: 'visitDate' },
  { story: 'the visit date is written day-first (02/06/2025)', body: (ids) => ({ visitDate: '02/06/2025', evaluations: [fingerEvaluation(ids)] }), field: 'visitDate' },
  { story: 'the visit date is a number', body: (ids) => ({ visitDate: 20250602, evaluations: [fingerEvaluation(ids)] }), field: 'visitDate' },
  { story: 'the visit date does not exist on the calendar (30 February)', body: (ids) => ({ visitDate: '2025-02-30', evaluations: [fingerEvaluation(ids)] }), field: 'visitDate' },
  { story: 'the next appointment (2 days ahead) is logged as if it had happened', body: (ids) => ({ visitDate: isoDateFromToday(2), evaluations: [fingerEvaluation(ids)] }), field: 'visitDate' },
  { story: 'labs are dated after the visit, in the future', body: (ids) => ({ visitDate: VISIT_DATE, evaluations: [fingerEvaluation(ids)], labs: { collectedOn: isoDateFromToday(3), calcium: { value: 9.5, unit: 'mg/dL' } } }), field: 'labs.collectedOn' },

  // a visit must hold something
  { story: 'the patient came but nothing was measured (neither list)', body: () => ({ visitDate: VISIT_DATE }), field: 'evaluations' },
  { story: 'both lists are sent empty', body: () => ({ visitDate: VISIT_DATE, evaluations: [], newDeposits: [] }), field: 'evaluations' },
  { story: 'only labs are sent, no deposit is measured', body: () => ({ visitDate: VISIT_DATE, labs: { calcium: { value: 9.5, unit: 'mg/dL' } } }), field: 'evaluations' },
  { story: 'the evaluations are sent as one object instead of a list', body: (ids) => ({ visitDate: VISIT_DATE, evaluations: fingerEvaluation(ids) }), field: 'evaluations' },
  { story: 'the evaluations list is null', body: () => ({ visitDate: VISIT_DATE, evaluations: null, newDeposits: [newDepositInput()] }), field: 'evaluations' },

  // one evaluation of a known deposit
  { story: 'the measurement method is left out', body: (ids) => ({ visitDate: VISIT_DATE, evaluations: [withoutKey(fingerEvaluation(ids), 'method')] }), field: 'evaluations[0].method' },
  { story: 'the method is one the clinic does not have ("sonar")', body: withEvaluation({ method: 'sonar' }), field: 'evaluations[0].method' },
  { story: 'the size is left out', body: (ids) => ({ visitDate: VISIT_DATE, evaluations: [withoutKey(fingerEvaluation(ids), 'longestDiameterMm')] }), field: 'evaluations[0].longestDiameterMm' },
  { story: 'the size is sent as text ("12")', body: withEvaluation({ longestDiameterMm: '12' }), field: 'evaluations[0].longestDiameterMm' },
  { story: 'the size is negative (a minus sign slipped in)', body: withEvaluation({ longestDiameterMm: -12 }), field: 'evaluations[0].longestDiameterMm' },
  { story: 'the size is zero (the deposit was not found: that is not a measurement)', body: withEvaluation({ longestDiameterMm: 0 }), field: 'evaluations[0].longestDiameterMm' },
  { story: 'the size is 5000 mm (typed in micrometres)', body: withEvaluation({ longestDiameterMm: 5000 }), field: 'evaluations[0].longestDiameterMm' },
  { story: 'the size is null', body: withEvaluation({ longestDiameterMm: null }), field: 'evaluations[0].longestDiameterMm' },
  { story: 'the perpendicular diameter is negative', body: withEvaluation({ perpendicularDiameterMm: -4 }), field: 'evaluations[0].perpendicularDiameterMm' },
  { story: 'the pain score is 11 on a 0–10 scale', body: withEvaluation({ painScore: 11 }), field: 'evaluations[0].painScore' },
  { story: 'the pain score is 2.5 (the scale has whole points)', body: withEvaluation({ painScore: 2.5 }), field: 'evaluations[0].painScore' },
  { story: 'the pain score is -1', body: withEvaluation({ painScore: -1 }), field: 'evaluations[0].painScore' },
  { story: 'the drainage is one the clinic does not code ("bloody")', body: withEvaluation({ drainage: 'bloody' }), field: 'evaluations[0].drainage' },
  { story: 'ulcerated is answered "yes" instead of true', body: withEvaluation({ ulcerated: 'yes' }), field: 'evaluations[0].ulcerated' },
  { story: 'ulcerated is sent as null', body: withEvaluation({ ulcerated: null }), field: 'evaluations[0].ulcerated' },
  { story: 'the shape is "star"', body: withEvaluation({ shape: 'star' }), field: 'evaluations[0].shape' },
  { story: 'the position has no landmark to measure from', body: withEvaluation({ position: { xMm: 3, yMm: 4 } }), field: 'evaluations[0].position.landmark' },

  // unknown fields are refused, never stored
  { story: 'the form sends an unknown field at the top level ("weather")', body: (ids) => ({ visitDate: VISIT_DATE, evaluations: [fingerEvaluation(ids)], weather: 'rainy' }), field: 'weather' },
  { story: 'an evaluation carries an unknown field ("colour")', body: withEvaluation({ colour: 'white' }), field: 'evaluations[0].colour' },
  { story: 'an evaluation in the list is null', body: () => ({ visitDate: VISIT_DATE, evaluations: [null] }), field: 'evaluations[0]' },
  { story: 'a new deposit in the list is a bare string', body: () => ({ visitDate: VISIT_DATE, newDeposits: ['R index pulp'] }), field: 'newDeposits[0]' },
  { story: 'a new deposit carries an unknown field ("colour")', body: withNewDeposit({ ...newDepositInput(), colour: 'white' }), field: 'newDeposits[0].colour' },
  { story: "a new deposit's evaluation carries an unknown field", body: withNewDeposit(newDepositInput({}, { colour: 'white' })), field: 'newDeposits[0].evaluation.colour' },
  { story: 'the position carries an unknown field ("zMm")', body: withEvaluation({ position: { landmark: 'R index DIP crease', xMm: 2, zMm: 5 } }), field: 'evaluations[0].position.zMm' },
  { story: 'a top-level field is named like a built-in of every object ("constructor")', body: (ids) => ({ visitDate: VISIT_DATE, evaluations: [fingerEvaluation(ids)], constructor: { name: 'x' } }), field: 'constructor' },
  { story: 'an evaluation carries a "__proto__" field', body: () => null, raw: (ids) => `{"visitDate":"${VISIT_DATE}","evaluations":[{"depositId":"${ids.finger}","method":"caliper","longestDiameterMm":9,"__proto__":{"painScore":99}}]}`, field: 'evaluations[0].__proto__' },
  { story: 'the labs carry an unknown analyte ("magnesium")', body: (ids) => ({ visitDate: VISIT_DATE, evaluations: [fingerEvaluation(ids)], labs: { magnesium: { value: 2, unit: 'mg/dL' } } }), field: 'labs.magnesium' },

  // which deposit is evaluated
  { story: 'the deposit id is not a UUID (the label was typed instead)', body: withEvaluation({ depositId: 'R index pulp' }), field: 'evaluations[0].depositId' },
  { story: 'the deposit id is left out', body: (ids) => ({ visitDate: VISIT_DATE, evaluations: [withoutKey(fingerEvaluation(ids), 'depositId')] }), field: 'evaluations[0].depositId' },
  { story: "the deposit belongs to ANOTHER patient of the clinic (wrong chart open)", body: (ids) => ({ visitDate: VISIT_DATE, evaluations: [fingerEvaluation(ids, { depositId: ids.otherPatientsDeposit })] }), field: 'evaluations[0].depositId' },
  { story: 'the deposit does not exist', body: withEvaluation({ depositId: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f' }), field: 'evaluations[0].depositId' },
  { story: 'the same deposit is evaluated twice in one visit', body: (ids) => ({ visitDate: VISIT_DATE, evaluations: [fingerEvaluation(ids), fingerEvaluation(ids, { longestDiameterMm: 10 })] }), field: 'evaluations[1].depositId' },

  // a deposit first seen at this visit
  ...(['label', 'site', 'laterality', 'depth', 'detectedBy'] as const).map(
    (key): BadVisit => ({ story: `a new deposit is missing its ${key}`, body: withNewDeposit(withoutKey(newDepositInput(), key)), field: `newDeposits[0].${key}` }),
  ),
  { story: 'a new deposit has a blank label ("  ")', body: withNewDeposit(newDepositInput({ label: '  ' })), field: 'newDeposits[0].label' },
  { story: 'a new deposit is at an unknown site ("nose")', body: withNewDeposit(newDepositInput({ site: 'nose' })), field: 'newDeposits[0].site' },
  { story: 'a new deposit comes without its first evaluation', body: withNewDeposit(withoutKey(newDepositInput(), 'evaluation')), field: 'newDeposits[0].evaluation' },
  { story: "a new deposit's first evaluation is null", body: withNewDeposit(newDepositInput({ evaluation: null })), field: 'newDeposits[0].evaluation' },
  { story: "a new deposit's first evaluation is an empty list", body: withNewDeposit(newDepositInput({ evaluation: [] })), field: 'newDeposits[0].evaluation' },
  { story: "a new deposit's first evaluation is text (\"8 mm\")", body: withNewDeposit(newDepositInput({ evaluation: '8 mm' })), field: 'newDeposits[0].evaluation' },
  { story: "a new deposit's first evaluation has no method", body: withNewDeposit(newDepositInput({ evaluation: { longestDiameterMm: 8 } })), field: 'newDeposits[0].evaluation.method' },
  { story: "the second new deposit's evaluation has an unknown method", body: () => ({ visitDate: VISIT_DATE, newDeposits: [newDepositInput({ label: 'R thumb' }), newDepositInput({ label: 'L thumb', laterality: 'left' }, { method: 'sonar' })] }), field: 'newDeposits[1].evaluation.method' },
  { story: 'a new deposit is noted on a future date', body: withNewDeposit(newDepositInput({ notedOn: isoDateFromToday(2) })), field: 'newDeposits[0].notedOn' },

  // labs taken at the visit
  { story: 'the calcium is sent in an unknown unit ("mEq/L")', body: (ids) => ({ visitDate: VISIT_DATE, evaluations: [fingerEvaluation(ids)], labs: { calcium: { value: 4.8, unit: 'mEq/L' } } }), field: 'labs.calcium.unit' },
  { story: 'the calcium is out of any plausible range (104 mg/dL for 10.4)', body: (ids) => ({ visitDate: VISIT_DATE, evaluations: [fingerEvaluation(ids)], labs: { calcium: { value: 104, unit: 'mg/dL' } } }), field: 'labs.calcium.value' },
  { story: 'the calcium is 0.6 mg/dL, below any plausible value (a unit mix-up)', body: (ids) => ({ visitDate: VISIT_DATE, evaluations: [fingerEvaluation(ids)], labs: { calcium: { value: 0.6, unit: 'mg/dL' } } }), field: 'labs.calcium.value' },
  { story: 'the labs hold no analyte at all', body: (ids) => ({ visitDate: VISIT_DATE, evaluations: [fingerEvaluation(ids)], labs: {} }), field: 'labs.calcium' },

  // the body itself
  { story: 'a truncated request arrives as malformed JSON', body: () => null, raw: () => '{"visitDate": "2025-06-02", "evaluations": [', field: 'body' },
  { story: 'the body is plain text sent as JSON', body: () => null, raw: () => 'visit on 2 June, finger 9 mm', field: 'body' },
  { story: 'the body is the JSON literal null', body: () => null, raw: () => 'null', field: 'body' },
  { story: 'the request has an empty body', body: () => null, raw: () => '', field: 'visitDate' },
  { story: 'a JSON array is sent as the body', body: (ids) => [{ visitDate: VISIT_DATE, evaluations: [fingerEvaluation(ids)] }], field: 'body' },

  // all or nothing
  { story: 'the first evaluation is valid and the second has a zero size', body: (ids) => ({ visitDate: VISIT_DATE, evaluations: [fingerEvaluation(ids), { depositId: ids.elbow, method: 'xray', longestDiameterMm: 0 }] }), field: 'evaluations[1].longestDiameterMm' },
  { story: "the first evaluation is valid and the second is of another patient's deposit", body: (ids) => ({ visitDate: VISIT_DATE, evaluations: [fingerEvaluation(ids), { depositId: ids.otherPatientsDeposit, method: 'xray', longestDiameterMm: 15 }] }), field: 'evaluations[1].depositId' },
  { story: "a valid new deposit and labs, but the evaluation is of another patient's deposit", body: (ids) => ({ visitDate: VISIT_DATE, newDeposits: [newDepositInput({ label: 'L thumb', laterality: 'left' })], evaluations: [{ depositId: ids.otherPatientsDeposit, method: 'caliper', longestDiameterMm: 7 }], labs: { calcium: { value: 9.5, unit: 'mg/dL' } } }), field: 'evaluations[0].depositId' },
];

describe('a visit with bad input is a 400 naming the field, and nothing is stored', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let patientId: string;
  const ids: Ids = { finger: '', elbow: '', otherPatientsDeposit: '' };

  beforeAll(async () => {
    t = await createTestApp();
    clinic = await createClinic(t, 'Validation clinic');
    patientId = await createPatient(t, clinic.staff, { name: 'Validation Patient' });
    const first = await t
      .http()
      .post(`/api/v1/patients/${patientId}/visits`)
      .set(clinic.staff.auth)
      .send({
        visitDate: '2025-01-10',
        newDeposits: [
          newDepositInput({ label: 'R index pulp' }, { longestDiameterMm: 10 }),
          newDepositInput({ label: 'L olecranon', site: 'elbow', laterality: 'left', depth: 'periarticular', detectedBy: 'xray' }, { method: 'xray', longestDiameterMm: 15 }),
        ],
      })
      .expect(201);
    [ids.finger, ids.elbow] = first.body.newDepositIds;

    const otherPatientId = await createPatient(t, clinic.staff, { name: 'Other Patient' });
    const other = await t
      .http()
      .post(`/api/v1/patients/${otherPatientId}/visits`)
      .set(clinic.physician.auth)
      .send({ visitDate: '2025-02-01', newDeposits: [newDepositInput({ label: 'R knee', site: 'knee' })] })
      .expect(201);
    [ids.otherPatientsDeposit] = other.body.newDepositIds;
  });
  afterAll(() => t.close());

  it.each(BAD_VISITS)('$story → 400 naming $field', async ({ body, raw, field }) => {
    const before = await countRows(t, clinic.clinicId);
    const req = t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).set('Content-Type', 'application/json');
    const res = await req.send(raw ? raw(ids) : JSON.stringify(body(ids)));

    const after = await countRows(t, clinic.clinicId);

    // one assertion, so a failure shows the status, the fields and what was stored together
    expect({ status: res.status, fields: errorFields(res.body), stored: after }).toEqual({ status: 400, fields: expect.arrayContaining([field]), stored: before });
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
    for (const detail of res.body.details as { field: string; messages: string[] }[]) {
      expect(detail.messages).toEqual(expect.arrayContaining([expect.any(String)]));
    }
  });

  it('the same patient and deposits do store a valid visit (the set-up can write)', async () => {
    const before = await countRows(t, clinic.clinicId);
    const res = await t
      .http()
      .post(`/api/v1/patients/${patientId}/visits`)
      .set(clinic.staff.auth)
      .send({
        visitDate: VISIT_DATE,
        evaluations: [fingerEvaluation(ids, { painScore: 3, ulcerated: false, position: { landmark: 'R index DIP crease', xMm: 2, yMm: -1 } }), { depositId: ids.elbow, method: 'xray', longestDiameterMm: 15 }],
        newDeposits: [newDepositInput({ label: 'L thumb', laterality: 'left' })],
        labs: { calcium: { value: 2.4, unit: 'mmol/L' } },
      })
      .expect(201);
    expect(res.body.evaluations).toHaveLength(3);
    expect(res.body.newDepositIds).toHaveLength(1);
    expect(await countRows(t, clinic.clinicId)).toEqual({
      ...before,
      deposits: before.deposits + 1,
      visits: before.visits + 1,
      evaluations: before.evaluations + 3,
      evaluation_versions: before.evaluation_versions + 3,
      lab_results: before.lab_results + 1,
    });
  });
});
