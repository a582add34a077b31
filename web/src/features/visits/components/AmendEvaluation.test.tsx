import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { RequireSession } from '../../../auth/RequireSession';
import { evaluation } from '../../../test/fixtures';
import { mockApi, PHYSICIAN, renderWithProviders, STAFF, tokens } from '../../../test/render';
import { amendmentBody, amendValuesOf } from '../amendment-body';
import { AmendEvaluation } from './AmendEvaluation';

const E = evaluation({ position: { landmark: 'DIP crease', xMm: 3, yMm: null } });
const PATH = `/api/v1/evaluations/${E.id}`;

describe('correcting an evaluation', () => {
  it('sends only the changed fields and the reason; an emptied field goes as null', () => {
    const values = amendValuesOf(E);
    expect(amendmentBody(E, values)).toEqual({ reason: '' });
    values.m.longestDiameterMm = '13';
    values.m.painScore = '';
    values.m.position.xMm = '4';
    values.reason = 'transcription error';
    expect(amendmentBody(E, values)).toEqual({ reason: 'transcription error', longestDiameterMm: 13, painScore: null, position: { landmark: 'DIP crease', xMm: 4, yMm: null } });
  });

  it("starts from the stored values, puts the API's error on the field it names, then shows the new version and the alerts it raised", async () => {
    let tries = 0;
    const { calls } = mockApi({
      'POST /api/v1/auth/refresh': () => ({ body: tokens(STAFF) }),
      [`GET ${PATH}/history`]: () => ({
        body: {
          items: [
            { ...E, reason: null, recordedByName: 'Demo Staff' },
            ...(tries > 1 ? [{ ...E, version: 2, longestDiameterMm: 13, reason: 'transcription error: 13 mm, not 14 mm', recordedBy: PHYSICIAN.id, recordedByName: PHYSICIAN.name }] : []),
          ],
          nextCursor: null,
        },
      }),
      [`POST ${PATH}/amendments`]: (_req, body) =>
        ++tries === 1
          ? { status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'reason: should not be blank', details: [{ field: 'reason', messages: ['should not be blank'] }] } }
          : {
              status: 201,
              body: {
                ...E,
                ...(body as object),
                version: 2,
                alerts: [{ id: '00000000-0000-4000-8000-0000000000e1', rule: 'DEPOSIT_GROWTH', severity: 'high', status: 'open', version: 1, message: 'R index pulp grew by 5 mm' }],
              },
            },
    });
    const onClose = vi.fn();
    renderWithProviders(
      <RequireSession>
        <AmendEvaluation evaluation={E} depositLabel="R index pulp" onClose={onClose} />
      </RequireSession>,
    );
    expect(await screen.findByRole('heading', { name: 'Correct the evaluation of R index pulp on 2026-10-01' })).toBeInTheDocument();
    expect(await screen.findByRole('list', { name: 'Versions of this evaluation' })).toHaveTextContent(/^Version 1, .+ by Demo Staff: Caliper, 14 mm — as first recorded$/);
    const longest = screen.getByLabelText('Longest diameter (mm)');
    expect(longest).toHaveValue('14');
    expect(screen.getByLabelText('Landmark')).toHaveValue('DIP crease');

    await userEvent.clear(longest);
    await userEvent.type(longest, '13');
    await userEvent.click(screen.getByRole('button', { name: 'Save correction' }));
    const reason = screen.getByLabelText('Reason for the correction');
    await waitFor(() => expect(reason).toHaveAttribute('aria-invalid', 'true'));
    expect(reason.getAttribute('aria-describedby')!.split(' ').map((id) => document.getElementById(id)?.textContent)).toContain('Should not be blank');

    await userEvent.type(reason, 'transcription error: 13 mm, not 14 mm');
    await userEvent.click(screen.getByRole('button', { name: 'Save correction' }));
    expect(await screen.findByText('Saved as version 2. Earlier versions are kept.')).toBeInTheDocument();
    // the versions, read again: the new one with its reason
    await waitFor(() => expect(screen.getByRole('list', { name: 'Versions of this evaluation' })).toHaveTextContent('Version 2'));
    expect(screen.getByRole('list', { name: 'Versions of this evaluation' })).toHaveTextContent(/ by Dr\. Demo: Caliper, 13 mm — transcription error: 13 mm, not 14 mm$/);
    expect(screen.getByRole('link', { name: 'Deposit growth' })).toHaveAttribute('href', '/alerts/00000000-0000-4000-8000-0000000000e1');
    const sent = calls.filter((c) => c.method === 'POST' && c.path === `${PATH}/amendments`).map((c) => c.body);
    expect(sent).toEqual([{ reason: '', longestDiameterMm: 13 }, { reason: 'transcription error: 13 mm, not 14 mm', longestDiameterMm: 13 }]);
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalled();
  });
});
