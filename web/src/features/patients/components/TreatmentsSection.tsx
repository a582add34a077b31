import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { messageOf } from '../../../api/errors';
import type { CreateTreatment, Deposit, FieldError, Treatment } from '../../../api/types';
import { SelectField, TextField } from '../../../components/fields';
import { applyApiErrors, errorAt } from '../../../components/form-errors';
import { ErrorMessage } from '../../../components/Page';
import { depositName, optionsOf, TREATMENT_KIND_LABELS } from '../../../labels';
import { idempotencyKeys, localToday } from '../../../lib/id';
import { useCreateTreatment, useEndTreatment } from '../api';

interface Values {
  kind: string;
  startedOn: string;
  depositId: string;
  dose: string;
  route: string;
  endedOn: string;
  outcome: string;
}

const FIELDS = ['kind', 'startedOn', 'depositId', 'dose', 'route', 'endedOn', 'outcome'];
const kindOptions = optionsOf(TREATMENT_KIND_LABELS).sort((a, b) => a.label.localeCompare(b.label));
const blankToUndefined = (v: string) => (v.trim() === '' ? undefined : v);

function TreatmentForm({ patientId, deposits }: { patientId: string; deposits: Deposit[] }) {
  const create = useCreateTreatment(patientId);
  const keys = useMemo(() => idempotencyKeys(), []);
  const [error, setError] = useState<string | null>(null);
  const [unplaced, setUnplaced] = useState<FieldError[]>([]);
  const [saved, setSaved] = useState<string>('');
  const form = useForm<Values>({ defaultValues: { kind: '', startedOn: localToday(), depositId: '', dose: '', route: '', endedOn: '', outcome: '' } });
  const { register, handleSubmit, formState, reset } = form;

  const onSubmit = async (v: Values) => {
    setError(null);
    setUnplaced([]);
    setSaved('');
    const body = {
      kind: (v.kind || undefined) as CreateTreatment['kind'],
      startedOn: v.startedOn,
      depositId: v.depositId || undefined,
      dose: blankToUndefined(v.dose),
      route: blankToUndefined(v.route),
      endedOn: blankToUndefined(v.endedOn),
      outcome: blankToUndefined(v.outcome),
    };
    try {
      const t = await create.mutateAsync({ body, idempotencyKey: keys.keyFor(body) });
      keys.done();
      reset();
      setSaved(`Saved: ${TREATMENT_KIND_LABELS[t.kind]}${t.tier !== null ? ` (tier ${t.tier})` : ' (supportive)'}.`);
    } catch (err) {
      setUnplaced(applyApiErrors(err, form.setError, (f) => (FIELDS.includes(f) ? f : null)));
      setError(messageOf(err));
    }
  };

  return (
    <form className="form inline-form" noValidate onSubmit={handleSubmit(onSubmit)} aria-labelledby="add-treatment">
      <h3 id="add-treatment">Add a treatment</h3>
      <ErrorMessage error={error} unplaced={unplaced} />
      <div className="grid">
        <SelectField label="Treatment" blank="Choose…" options={kindOptions} error={errorAt(formState.errors, 'kind')} {...register('kind')} />
        <TextField label="Started on" type="date" error={errorAt(formState.errors, 'startedOn')} {...register('startedOn')} />
        <SelectField label="For deposit" blank="The whole patient" options={deposits.map((d) => ({ value: d.id, label: depositName(d) }))} error={errorAt(formState.errors, 'depositId')} {...register('depositId')} />
        <TextField label="Dose" error={errorAt(formState.errors, 'dose')} {...register('dose')} />
        <TextField label="Route" error={errorAt(formState.errors, 'route')} {...register('route')} />
        <TextField label="Ended on" type="date" hint="Leave empty while it runs" error={errorAt(formState.errors, 'endedOn')} {...register('endedOn')} />
        <TextField label="Outcome" error={errorAt(formState.errors, 'outcome')} {...register('outcome')} />
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? 'Saving…' : 'Add treatment'}
        </button>
        <span role="status">{saved}</span>
      </div>
    </form>
  );
}

function EndTreatment({ patientId, treatment }: { patientId: string; treatment: Treatment }) {
  const end = useEndTreatment(patientId);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<{ endedOn: string; outcome: string }>({ defaultValues: { endedOn: localToday(), outcome: treatment.outcome ?? '' } });
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} aria-label={`End ${TREATMENT_KIND_LABELS[treatment.kind]} started ${treatment.startedOn}`}>
        End…
      </button>
    );
  }
  const onSubmit = async (v: { endedOn: string; outcome: string }) => {
    setError(null);
    try {
      await end.mutateAsync({ treatment, ...v });
      setOpen(false);
    } catch (err) {
      applyApiErrors(err, form.setError, (f) => (f === 'endedOn' || f === 'outcome' ? f : null));
      setError(messageOf(err));
    }
  };
  return (
    <form className="end-treatment" noValidate onSubmit={form.handleSubmit(onSubmit)}>
      <ErrorMessage error={error} />
      <TextField label="Ended on" type="date" error={errorAt(form.formState.errors, 'endedOn')} {...form.register('endedOn')} />
      <TextField label="Outcome" error={errorAt(form.formState.errors, 'outcome')} {...form.register('outcome')} />
      <button type="submit" className="primary">
        Save
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}

export function TreatmentsSection({ patientId, treatments, deposits, canRecord }: { patientId: string; treatments: Treatment[]; deposits: Deposit[]; canRecord: boolean }) {
  const labelOf = new Map(deposits.map((d) => [d.id, d.label]));
  return (
    <section aria-labelledby="treatments-heading" className="card">
      <h2 id="treatments-heading">Treatments</h2>
      {treatments.length === 0 ? (
        <p>No treatments recorded.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Treatments</caption>
            <thead>
              <tr>
                <th scope="col">Treatment</th>
                <th scope="col">Tier</th>
                <th scope="col">For</th>
                <th scope="col">Started</th>
                <th scope="col">Ended</th>
                <th scope="col">Dose, route</th>
                <th scope="col">Outcome</th>
                {canRecord && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {treatments.map((t) => (
                <tr key={t.id}>
                  <td>{TREATMENT_KIND_LABELS[t.kind]}</td>
                  <td>{t.tier === null ? 'Supportive' : t.tier}</td>
                  <td>{t.depositId ? (labelOf.get(t.depositId) ?? 'a deposit') : 'Whole patient'}</td>
                  <td>{t.startedOn}</td>
                  <td>{t.endedOn ?? 'ongoing'}</td>
                  <td>{[t.dose, t.route].filter(Boolean).join(', ') || '—'}</td>
                  <td>{t.outcome ?? '—'}</td>
                  {canRecord && <td>{t.endedOn === null && <EndTreatment patientId={patientId} treatment={t} />}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canRecord && <TreatmentForm patientId={patientId} deposits={deposits} />}
    </section>
  );
}
