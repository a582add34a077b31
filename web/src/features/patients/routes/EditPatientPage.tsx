import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, messageOf } from '../../../api/errors';
import type { PatientDetail } from '../../../api/types';
import { ErrorMessage, Loading, Page } from '../../../components/Page';
import { usePatient, useUpdatePatient } from '../api';
import { PatientForm } from '../components/PatientForm';

function EditForm({ patient, onStale }: { patient: PatientDetail; onStale: () => void }) {
  const navigate = useNavigate();
  const update = useUpdatePatient(patient);
  return (
    <PatientForm
      patient={patient}
      submitLabel="Save changes"
      busyLabel="Saving…"
      onSave={async (body) => {
        try {
          await update.mutateAsync(body);
        } catch (err) {
          // someone else saved first: the form starts again from their version (re-read on settle)
          if (err instanceof ApiError && err.status === 412) return onStale();
          throw err;
        }
        navigate(`/patients/${patient.id}`);
      }}
    />
  );
}

export function EditPatientPage() {
  const { patientId = '' } = useParams();
  const patient = usePatient(patientId);
  const [stale, setStale] = useState(false);
  if (patient.isPending) return <Loading what="the patient" />;
  if (patient.isError) {
    return (
      <Page title="Change patient details">
        <ErrorMessage error={messageOf(patient.error)} />
      </Page>
    );
  }
  return (
    <Page title={`Change details of ${patient.data.name}`} actions={<Link to={`/patients/${patient.data.id}`}>Back to the patient</Link>}>
      {stale && (
        <p role="alert" className="notice">
          Someone else changed this patient while you were editing. The form now shows their version: make your change again.
        </p>
      )}
      {/* a new version of the patient (after a 412) gives a fresh form with its values */}
      <EditForm key={patient.data.version} patient={patient.data} onStale={() => setStale(true)} />
    </Page>
  );
}
