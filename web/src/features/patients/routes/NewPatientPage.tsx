import { useMemo } from 'react';
import { useNavigate } from 'react-router';
import { Page } from '../../../components/Page';
import { idempotencyKeys } from '../../../lib/id';
import { useCreatePatient } from '../api';
import { PatientForm } from '../components/PatientForm';

export function NewPatientPage() {
  const navigate = useNavigate();
  const create = useCreatePatient();
  const keys = useMemo(() => idempotencyKeys(), []);
  return (
    <Page title="Register a patient">
      <PatientForm
        submitLabel="Register patient"
        busyLabel="Registering…"
        onSave={async (body) => {
          const patient = await create.mutateAsync({ body, idempotencyKey: keys.keyFor(body) });
          keys.done();
          navigate(`/patients/${patient.id}`);
        }}
      />
    </Page>
  );
}
