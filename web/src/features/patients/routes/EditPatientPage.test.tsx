import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { PatientDetail } from '../../../api/types';
import { RequireSession } from '../../../auth/RequireSession';
import { mockApi, renderWithProviders, STAFF, tokens } from '../../../test/render';
import { EditPatientPage } from './EditPatientPage';
import { NewPatientPage } from './NewPatientPage';

const DR_DEMO = { id: '00000000-0000-4000-8000-0000000000d1', name: 'Dr. Demo', specialty: 'rheumatology' };
const DR_OTHER = { id: '00000000-0000-4000-8000-0000000000d2', name: 'Dr. Other', specialty: null };

function patient(overrides: Partial<PatientDetail> = {}): PatientDetail {
  return {
    id: '00000000-0000-4000-8000-0000000000a1',
    mrn: 'DEMO-0001',
    name: 'Ada Example',
    birthDate: '1971-04-12',
    sex: 'female',
    conditions: ['systemic-sclerosis-limited'],
    calcinosisType: 'dystrophic',
    familyHistory: false,
    responsiblePhysicianId: DR_DEMO.id,
    version: 3,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    currentTier: { tier: 0, since: null, description: 'tier 0 (observation and prevention)' },
    ...overrides,
  } as PatientDetail;
}

const session = () => ({ body: tokens(STAFF) });
const physicians = () => ({ body: { items: [DR_DEMO, DR_OTHER], nextCursor: null } });

function renderAt(route: string) {
  return renderWithProviders(
    <RequireSession>
      <Routes>
        <Route path="/patients/new" element={<NewPatientPage />} />
        <Route path="/patients/:patientId/edit" element={<EditPatientPage />} />
        <Route path="/patients/:patientId" element={<h1>Patient page</h1>} />
      </Routes>
    </RequireSession>,
    { route },
  );
}

describe("a patient's details", () => {
  it('register: the responsible physician is chosen among the clinic\'s physicians by name', async () => {
    const { calls } = mockApi({
      'POST /api/v1/auth/refresh': session,
      'GET /api/v1/users/physicians': physicians,
      'POST /api/v1/patients': (_req, body) => ({ status: 201, body: patient({ ...(body as object), id: '00000000-0000-4000-8000-0000000000a9' }) }),
    });
    renderAt('/patients/new');
    const select = await screen.findByLabelText('Responsible physician');
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['None yet', 'Dr. Demo (rheumatology)', 'Dr. Other']);
    await userEvent.type(screen.getByLabelText('MRN'), 'NEW-1');
    await userEvent.type(screen.getByLabelText('Name'), 'New Patient');
    await userEvent.type(screen.getByLabelText('Birth date'), '1980-02-03');
    await userEvent.selectOptions(screen.getByLabelText('Sex'), 'male');
    await userEvent.selectOptions(select, 'Dr. Other');
    await userEvent.click(screen.getByRole('button', { name: 'Register patient' }));
    expect(await screen.findByRole('heading', { name: 'Patient page' })).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST' && c.path === '/api/v1/patients')?.body).toMatchObject({ mrn: 'NEW-1', responsiblePhysicianId: DR_OTHER.id });
  });

  it('change: the form starts from the patient, sends the change with If-Match, and puts the API\'s error on the field it names', async () => {
    let tries = 0;
    const { calls } = mockApi({
      'POST /api/v1/auth/refresh': session,
      'GET /api/v1/users/physicians': physicians,
      'GET /api/v1/patients/00000000-0000-4000-8000-0000000000a1': () => ({ body: patient() }),
      'PATCH /api/v1/patients/00000000-0000-4000-8000-0000000000a1': () =>
        ++tries === 1
          ? { status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'responsiblePhysicianId: must name an active physician of this clinic', details: [{ field: 'responsiblePhysicianId', messages: ['must name an active physician of this clinic'] }] } }
          : { body: patient({ responsiblePhysicianId: DR_OTHER.id, version: 4 }) },
    });
    renderAt('/patients/00000000-0000-4000-8000-0000000000a1/edit');
    const select = await screen.findByLabelText('Responsible physician');
    expect(select).toHaveDisplayValue('Dr. Demo (rheumatology)');
    expect(screen.getByLabelText('MRN')).toHaveValue('DEMO-0001');
    expect(screen.getByLabelText('Systemic sclerosis, limited')).toBeChecked();

    await userEvent.selectOptions(select, 'Dr. Other');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(select).toHaveAttribute('aria-invalid', 'true'));
    const describedBy = select.getAttribute('aria-describedby')!;
    expect(document.getElementById(describedBy)).toHaveTextContent('Must name an active physician of this clinic');

    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByRole('heading', { name: 'Patient page' })).toBeInTheDocument();
    const patch = calls.filter((c) => c.method === 'PATCH');
    expect(patch).toHaveLength(2);
    expect(patch[1].headers.get('If-Match')).toBe('"3"');
    expect(patch[1].body).toMatchObject({ mrn: 'DEMO-0001', responsiblePhysicianId: DR_OTHER.id });
  });

  it('change: when someone else saved first (412), it says so and shows their version', async () => {
    let version = 3;
    mockApi({
      'POST /api/v1/auth/refresh': session,
      'GET /api/v1/users/physicians': physicians,
      'GET /api/v1/patients/00000000-0000-4000-8000-0000000000a1': () => ({ body: version === 3 ? patient() : patient({ name: 'Ada Changed', version }) }),
      'PATCH /api/v1/patients/00000000-0000-4000-8000-0000000000a1': () => {
        version = 4;
        return { status: 412, body: { statusCode: 412, error: 'Precondition Failed', message: 'the patient was changed meanwhile' } };
      },
    });
    renderAt('/patients/00000000-0000-4000-8000-0000000000a1/edit');
    await screen.findByLabelText('Responsible physician');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Family history of calcinosis' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Someone else changed this patient while you were editing');
    await waitFor(() => expect(screen.getByLabelText('Name')).toHaveValue('Ada Changed'));
    expect(screen.getByRole('checkbox', { name: 'Family history of calcinosis' })).not.toBeChecked();
  });
});
