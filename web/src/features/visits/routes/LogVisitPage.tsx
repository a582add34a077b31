import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { messageOf } from '../../../api/errors';
import type { VisitCreated } from '../../../api/types';
import { ErrorMessage, Loading, Page } from '../../../components/Page';
import { localToday } from '../../../lib/id';
import { useDeposits, usePatient } from '../../patients/api';
import { useLogVisit } from '../api';
import { SavedVisit } from '../components/SavedVisit';
import { VisitForm } from '../components/VisitForm';

export function LogVisitPage() {
  const { patientId = '' } = useParams();
  const patient = usePatient(patientId);
  const deposits = useDeposits(patientId);
  const logVisit = useLogVisit(patientId);
  const [saved, setSaved] = useState<VisitCreated | null>(null);
  const [formKey, setFormKey] = useState(0);

  if (patient.isPending || deposits.isPending) return <Loading what="the patient's deposits" />;
  if (patient.isError || deposits.isError) {
    return (
      <Page title="Log a visit">
        <ErrorMessage error={messageOf(patient.error ?? deposits.error)} />
      </Page>
    );
  }
  return (
    <Page
      title={`Log a visit: ${patient.data.name}`}
      subtitle={
        <p>
          MRN {patient.data.mrn} · <Link to={`/patients/${patientId}`}>Back to the patient</Link>
        </p>
      }
    >
      {saved ? (
        <SavedVisit
          visit={saved}
          patientId={patientId}
          onAnother={() => {
            setSaved(null);
            setFormKey((k) => k + 1);
          }}
        />
      ) : (
        <VisitForm
          key={formKey}
          deposits={deposits.data}
          today={localToday()}
          submit={(body, idempotencyKey) => logVisit.mutateAsync({ body, idempotencyKey })}
          onSaved={setSaved}
        />
      )}
    </Page>
  );
}
