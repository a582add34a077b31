import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../api/errors';
import type { CreateVisit } from '../../../api/types';
import { ELBOW, FINGER, visitCreated } from '../../../test/fixtures';
import { VisitForm } from './VisitForm';

function setup(submit = vi.fn<(body: CreateVisit, key: string) => Promise<ReturnType<typeof visitCreated>>>()) {
  const onSaved = vi.fn();
  render(
    <MemoryRouter>
      <VisitForm deposits={[FINGER, ELBOW]} today="2026-12-01" submit={submit} onSaved={onSaved} />
    </MemoryRouter>,
  );
  const elbow = screen.getByRole('group', { name: 'L olecranon (left elbow)' });
  const finger = screen.getByRole('group', { name: 'R index pulp (right finger)' });
  return { submit, onSaved, elbow, finger };
}

const invalid = (field: string, message: string) => new ApiError(400, { statusCode: 400, error: 'Bad Request', message: `${field} ${message}`, details: [{ field, messages: [`${field.split('.').at(-1)} ${message}`] }] });

describe('logging a visit in one form', () => {
  it("puts each deposit in a row with its previous values, today's date and the deposit's previous method", () => {
    const { elbow, finger } = setup();
    expect(screen.getByLabelText('Visit date')).toHaveValue('2026-12-01');
    expect(within(elbow).getByLabelText('Method')).toHaveValue('xray');
    expect(within(finger).getByLabelText('Method')).toHaveValue('caliper');
    expect(within(finger).getByText('14 × 9 mm')).toBeInTheDocument();
    expect(within(finger).getByText('ulcerated')).toBeInTheDocument();
  });

  it("puts the API's validation error on the field it names, linked by aria-describedby, and stores nothing", async () => {
    const submit = vi.fn().mockRejectedValue(invalid('evaluations[0].longestDiameterMm', 'must not be less than 0'));
    const { elbow, finger, onSaved } = setup(submit);
    // only the elbow is measured: it is evaluations[0] of the body, the form's second row
    await userEvent.type(within(elbow).getByLabelText('Longest diameter (mm)'), '-4');
    await userEvent.click(screen.getByRole('button', { name: 'Save visit' }));

    const field = await within(elbow).findByLabelText('Longest diameter (mm)');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription('Must not be less than 0');
    expect(field).toHaveFocus();
    expect(within(finger).getByLabelText('Longest diameter (mm)')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByRole('alert')).toHaveTextContent('The visit was not saved: 1 value to correct, marked below. Nothing was stored.');
    expect(onSaved).not.toHaveBeenCalled();
    // the browser's own checks never ran: the form is noValidate and the value went to the API as typed
    expect(screen.getByRole('form', { name: 'Log a visit' })).toHaveAttribute('novalidate');
    expect(submit.mock.calls[0][0]).toEqual({ visitDate: '2026-12-01', evaluations: [{ depositId: ELBOW.id, method: 'xray', longestDiameterMm: -4, ulcerated: false, infectionSigns: false, inflammation: false, nerveCompression: false, drainage: 'none' }] });
  });

  it('names the field of a new deposit, and sends text that is not a number as it is, for the API to judge', async () => {
    const submit = vi.fn().mockRejectedValue(
      new ApiError(400, {
        message: 'invalid',
        details: [
          { field: 'newDeposits[0].label', messages: ['label should not be empty'] },
          { field: 'newDeposits[0].evaluation.longestDiameterMm', messages: ['longestDiameterMm must be a number'] },
        ],
      }),
    );
    setup(submit);
    await userEvent.click(screen.getByRole('button', { name: 'Add a new deposit' }));
    const added = screen.getByRole('group', { name: 'New deposit 1' });
    await userEvent.type(within(added).getByLabelText('Longest diameter (mm)'), 'twelve');
    await userEvent.click(screen.getByRole('button', { name: 'Save visit' }));

    expect(await within(added).findByLabelText('Label')).toHaveAccessibleDescription(/Should not be empty/);
    expect(within(added).getByLabelText('Label')).toHaveAttribute('aria-invalid', 'true');
    expect(within(added).getByLabelText('Longest diameter (mm)')).toHaveAccessibleDescription('Must be a number');
    expect((submit.mock.calls[0][0] as CreateVisit).newDeposits?.[0].evaluation.longestDiameterMm).toBe('twelve');
  });

  it('sends a retry of the same submission with the same Idempotency-Key, and a new key after an edit', async () => {
    const submit = vi.fn().mockRejectedValueOnce(new TypeError('Failed to fetch')).mockRejectedValueOnce(new TypeError('Failed to fetch')).mockResolvedValue(visitCreated());
    const { elbow, onSaved } = setup(submit);
    await userEvent.type(within(elbow).getByLabelText('Longest diameter (mm)'), '25');
    await userEvent.click(screen.getByRole('button', { name: 'Save visit' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('cannot be reached');
    await userEvent.click(screen.getByRole('button', { name: 'Save visit' }));
    await screen.findByRole('alert');
    const [first, retry] = submit.mock.calls.map((c) => c[1]);
    expect(retry).toBe(first);

    await userEvent.type(within(elbow).getByLabelText('Pain (0–10)'), '3');
    await userEvent.click(screen.getByRole('button', { name: 'Save visit' }));
    expect(submit.mock.calls[2][1]).not.toBe(first);
    expect(onSaved).toHaveBeenCalledTimes(1);
  });

  it('sends the labs only when asked for, with each value and its unit', async () => {
    const submit = vi.fn().mockResolvedValue(visitCreated());
    const { finger } = setup(submit);
    await userEvent.type(within(finger).getByLabelText('Longest diameter (mm)'), '15');
    await userEvent.click(screen.getByLabelText('Record labs with this visit'));
    await userEvent.type(screen.getByLabelText('Calcium'), '2.7');
    await userEvent.selectOptions(screen.getByLabelText('Calcium unit'), 'mmol/L');
    await userEvent.click(screen.getByRole('button', { name: 'Save visit' }));
    expect((submit.mock.calls[0][0] as CreateVisit).labs).toEqual({ calcium: { value: 2.7, unit: 'mmol/L' } });
  });
});
