import { describe, expect, it } from 'vitest';
import { filenameOf } from '../../api/download';
import { ELBOW, FINGER } from '../../test/fixtures';
import { formPathOf, initialValues, visitBody } from './visit-body';

describe("from the API's error fields to the form's", () => {
  // the body's evaluations[0] is the form's second row (the first row was left empty)
  const rowOf = [1, 3];
  it.each([
    ['visitDate', 'visitDate'],
    ['evaluations[0].longestDiameterMm', 'rows.1.longestDiameterMm'],
    ['evaluations[1].position.xMm', 'rows.3.position.xMm'],
    ['newDeposits[0].label', 'newDeposits.0.label'],
    ['newDeposits[2].evaluation.painScore', 'newDeposits.2.evaluation.painScore'],
    ['newDeposits[0].detectedBy', 'newDeposits.0.evaluation.method'],
    ['labs.calcium.value', 'labs.calcium.value'],
    ['labs.albumin', 'labs.albumin.value'],
    ['labs.collectedOn', 'labs.collectedOn'],
    ['evaluations', null],
    ['evaluations[5].longestDiameterMm', null],
    ['body', null],
  ])('%s → %s', (api, form) => {
    expect(formPathOf(api, rowOf)).toBe(form);
  });
});

describe('the visit body', () => {
  it('sends only the rows with something measured, and remembers which row each came from', () => {
    const values = initialValues([FINGER, ELBOW], '2026-12-01');
    values.rows[1].longestDiameterMm = '25';
    values.rows[1].painScore = '4';
    const { body, rowOf } = visitBody(values);
    expect(rowOf).toEqual([1]);
    expect(body.evaluations).toEqual([expect.objectContaining({ depositId: ELBOW.id, method: 'xray', longestDiameterMm: 25, painScore: 4 })]);
    expect(body).not.toHaveProperty('newDeposits');
    expect(body).not.toHaveProperty('labs');
  });
});

describe('the file name of a download', () => {
  it.each([
    ['attachment; filename="calcitrack-report-DEMO-0001-2026-12-01.pdf"', 'calcitrack-report-DEMO-0001-2026-12-01.pdf'],
    ["attachment; filename=plain.csv", 'plain.csv'],
    ["attachment; filename=\"fallback.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt", 'résumé.txt'],
    [null, null],
  ])('%s → %s', (header, name) => {
    expect(filenameOf(header)).toBe(name);
  });
});
