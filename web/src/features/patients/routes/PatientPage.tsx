import { useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { messageOf } from '../../../api/errors';
import type { Alert, PatientDetail } from '../../../api/types';
import { useUser } from '../../../auth/AuthProvider';
import { can } from '../../../auth/roles';
import { ErrorMessage, Loading, Page } from '../../../components/Page';
import { SeverityBadge } from '../../../components/Severity';
import { CALCINOSIS_TYPE_LABELS, CONDITION_LABELS, RULE_LABELS, SEX_LABELS } from '../../../labels';
import { useDepositDetails, useDeposits, useLabs, usePatient, usePatientAlerts, usePhysicians, useTreatments } from '../api';
import { BodyMap } from '../components/BodyMap';
import { DepositCourse } from '../components/DepositCourse';
import { DepositList } from '../components/DepositList';
import { LabsSection } from '../components/LabsSection';
import { ReportDownloads } from '../components/ReportDownloads';
import { TreatmentsSection } from '../components/TreatmentsSection';

function PatientFacts({ patient }: { patient: PatientDetail }) {
  const tier = patient.currentTier;
  const physicians = usePhysicians();
  const physician = patient.responsiblePhysicianId ? physicians.data?.find((p) => p.id === patient.responsiblePhysicianId) : undefined;
  return (
    <dl className="facts patient-facts">
      <div>
        <dt>MRN</dt>
        <dd>{patient.mrn}</dd>
      </div>
      <div>
        <dt>Born</dt>
        <dd>{patient.birthDate}</dd>
      </div>
      <div>
        <dt>Sex</dt>
        <dd>{SEX_LABELS[patient.sex]}</dd>
      </div>
      <div>
        <dt>Conditions</dt>
        <dd>{patient.conditions.map((c) => CONDITION_LABELS[c]).join(', ') || 'None recorded'}</dd>
      </div>
      <div>
        <dt>Calcinosis type</dt>
        <dd>{CALCINOSIS_TYPE_LABELS[patient.calcinosisType]}</dd>
      </div>
      <div>
        <dt>Current tier</dt>
        <dd>
          {tier.description}
          {tier.since ? `, since ${tier.since}` : ', no treatment running'}
        </dd>
      </div>
      <div>
        <dt>Family history</dt>
        <dd>{patient.familyHistory ? 'Yes' : 'No'}</dd>
      </div>
      <div>
        <dt>Responsible physician</dt>
        <dd>{!patient.responsiblePhysicianId ? 'None yet' : (physician?.name ?? (physicians.isPending ? '…' : 'A physician no longer active'))}</dd>
      </div>
    </dl>
  );
}

function OpenAlerts({ alerts, labelOf }: { alerts: Alert[]; labelOf: (id: string | null) => string }) {
  const open = alerts.filter((a) => a.status !== 'resolved');
  return (
    <section aria-labelledby="patient-alerts-heading" className="card">
      <h2 id="patient-alerts-heading">Open alerts ({open.length})</h2>
      {open.length === 0 ? (
        <p>No alert is waiting for a decision.</p>
      ) : (
        <ul className="alert-list">
          {open.map((a) => (
            <li key={a.id}>
              <SeverityBadge severity={a.severity} /> <Link to={`/alerts/${a.id}`}>{RULE_LABELS[a.rule]}</Link> — {labelOf(a.depositId)}: {a.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function PatientPage() {
  const { patientId = '' } = useParams();
  const user = useUser();
  const clinical = can.recordClinicalData(user.role);
  const patient = usePatient(patientId);
  const deposits = useDeposits(patientId);
  const details = useDepositDetails(deposits.data?.map((d) => d.id) ?? []);
  const treatments = useTreatments(patientId, clinical);
  const labs = useLabs(patientId, clinical);
  const alerts = usePatientAlerts(patientId);
  const [selected, setSelected] = useState<string | null>(null);
  const headings = useRef(new Map<string, HTMLHeadingElement>());

  if (patient.isPending) return <Loading what="the patient" />;
  if (patient.isError) {
    return (
      <Page title="Patient">
        <ErrorMessage error={messageOf(patient.error)} />
      </Page>
    );
  }
  const p = patient.data;
  const alertList = alerts.data ?? [];
  const worst = (depositId: string) => alertList.find((a) => a.depositId === depositId && a.status !== 'resolved') ?? null;
  const detailList = details.flatMap((q) => (q.data ? [q.data] : []));
  const labelOf = (id: string | null) => (id ? (deposits.data?.find((d) => d.id === id)?.label ?? 'a deposit') : 'the patient');

  const select = (id: string) => {
    setSelected(id);
    const heading = headings.current.get(id);
    heading?.scrollIntoView({ block: 'start' });
    heading?.focus({ preventScroll: true });
  };

  return (
    <Page
      title={p.name}
      subtitle={<PatientFacts patient={p} />}
      actions={
        <>
          {clinical && (
            <Link className="button primary" to={`/patients/${p.id}/visits/new`}>
              Log a visit
            </Link>
          )}
          <Link className="button" to={`/patients/${p.id}/edit`}>
            Change details
          </Link>
          <ReportDownloads patientId={p.id} mrn={p.mrn} />
        </>
      }
    >
      <div className="patient-overview">
        <section aria-labelledby="body-map-heading" className="card">
          <h2 id="body-map-heading">Body map</h2>
          {deposits.isPending ? <Loading what="deposits" /> : <BodyMap deposits={deposits.data ?? []} worstAlert={worst} onSelect={select} selectedId={selected} />}
        </section>
        <section aria-labelledby="deposits-heading" className="card">
          <h2 id="deposits-heading">Deposits</h2>
          <ErrorMessage error={deposits.error ? messageOf(deposits.error) : null} />
          {details.some((q) => q.isPending) && <Loading what="the deposits' course" />}
          <DepositList rows={detailList.map((d) => ({ detail: d, worst: worst(d.id) }))} onSelect={select} />
        </section>
      </div>
      <OpenAlerts alerts={alertList} labelOf={labelOf} />
      <section aria-labelledby="trends-heading">
        <h2 id="trends-heading">Trends</h2>
        {detailList.map((d) => (
          <DepositCourse
            key={d.id}
            ref={(el) => {
              if (el) headings.current.set(d.id, el);
              else headings.current.delete(d.id);
            }}
            deposit={d}
            treatments={treatments.data ?? []}
            alerts={alertList.filter((a) => a.depositId === d.id)}
            selected={selected === d.id}
            canAmend={clinical}
          />
        ))}
      </section>
      {clinical && treatments.data && <TreatmentsSection patientId={p.id} treatments={treatments.data} deposits={deposits.data ?? []} canRecord={clinical} />}
      {clinical && labs.data && <LabsSection patientId={p.id} labs={labs.data} canRecord={clinical} />}
      {can.administer(user.role) && (
        <p>
          <Link to={`/admin/audit?patientId=${p.id}`}>Audit trail of this patient</Link>
        </p>
      )}
    </Page>
  );
}
