import { useMemo, useState } from 'react';
import { useFieldArray, useForm, useWatch } from 'react-hook-form';
import { ApiError, messageOf } from '../../../api/errors';
import type { CreateVisit, Deposit, Evaluation, FieldError, VisitCreated } from '../../../api/types';
import { CheckboxField, SelectField, TextField } from '../../../components/fields';
import { applyApiErrors, errorAt } from '../../../components/form-errors';
import { ErrorMessage } from '../../../components/Page';
import { depositName, DEPTH_LABELS, LATERALITY_LABELS, optionsOf, PATTERN_LABELS, SITE_LABELS } from '../../../labels';
import { idempotencyKeys } from '../../../lib/id';
import { LabFields } from '../../patients/components/LabFields';
import { emptyNewDeposit, formPathOf, initialValues, visitBody, type VisitValues } from '../visit-body';
import { MeasurementFields } from './MeasurementFields';
import { PreviousValues } from './PreviousValues';

export interface VisitFormProps {
  deposits: Deposit[];
  today: string;
  /** sends the visit; a retry of the same submission gets the same Idempotency-Key */
  submit: (body: CreateVisit, idempotencyKey: string) => Promise<VisitCreated>;
  onSaved: (visit: VisitCreated) => void;
}

/**
 * A whole visit in one form: a row per active deposit (its previous values beside the new fields),
 * new deposits added on the spot, labs if any. Nothing is checked here: the API's validation errors
 * land on the fields they name, and nothing is stored until the whole visit is valid.
 */
export function VisitForm({ deposits, today, submit, onSaved }: VisitFormProps) {
  const active = useMemo(() => deposits.filter((d) => d.status === 'active'), [deposits]);
  const keys = useMemo(() => idempotencyKeys(), []);
  const form = useForm<VisitValues>({ defaultValues: initialValues(deposits, today) });
  const { register, handleSubmit, formState, control, setError } = form;
  const added = useFieldArray({ control, name: 'newDeposits' });
  const [error, setFormError] = useState<string | null>(null);
  const [unplaced, setUnplaced] = useState<FieldError[]>([]);
  const withLabs = useWatch({ control, name: 'withLabs' });

  const onSubmit = async (values: VisitValues) => {
    setFormError(null);
    setUnplaced([]);
    const { body, rowOf } = visitBody(values);
    try {
      const visit = await submit(body, keys.keyFor(body));
      keys.done();
      onSaved(visit);
    } catch (err) {
      const rest = applyApiErrors(err, setError, (field) => formPathOf(field, rowOf));
      setUnplaced(rest);
      const placed = err instanceof ApiError ? err.details.length - rest.length : 0;
      setFormError(
        placed > 0
          ? `The visit was not saved: ${placed} value${placed === 1 ? '' : 's'} to correct, marked below. Nothing was stored.`
          : `The visit was not saved. ${messageOf(err)}`,
      );
    }
  };

  return (
    <form className="form visit-form" noValidate onSubmit={handleSubmit(onSubmit)} aria-label="Log a visit">
      <ErrorMessage error={error} unplaced={unplaced} />
      <TextField label="Visit date" type="date" className="narrow-field" error={errorAt(formState.errors, 'visitDate')} {...register('visitDate')} />

      <h2>Deposits</h2>
      {active.length === 0 && <p>No active deposit yet: add the deposits found at this visit below.</p>}
      {active.map((d, i) => (
        <fieldset key={d.id} className="deposit-row">
          <legend>{depositName(d)}</legend>
          <PreviousValues evaluation={d.latestEvaluation as Evaluation | null} />
          <MeasurementFields register={register} errors={formState.errors} prefix={`rows.${i}.`} />
        </fieldset>
      ))}
      <p className="hint">Leave a deposit’s fields empty if it was not evaluated at this visit.</p>

      <h2>New deposits</h2>
      {added.fields.map((field, i) => {
        const e = (name: string) => errorAt(formState.errors, `newDeposits.${i}.${name}`);
        return (
          <fieldset key={field.id} className="deposit-row new-deposit">
            <legend>New deposit {i + 1}</legend>
            <div className="grid">
              <TextField label="Label" hint="e.g. R index pulp" error={e('label')} {...register(`newDeposits.${i}.label`)} />
              <SelectField label="Site" blank="Choose…" options={optionsOf(SITE_LABELS)} error={e('site')} {...register(`newDeposits.${i}.site`)} />
              <TextField label="Site detail" error={e('siteDetail')} {...register(`newDeposits.${i}.siteDetail`)} />
              <SelectField label="Side" blank="Choose…" options={optionsOf(LATERALITY_LABELS)} error={e('laterality')} {...register(`newDeposits.${i}.laterality`)} />
              <SelectField label="Depth" blank="Choose…" options={optionsOf(DEPTH_LABELS)} error={e('depth')} {...register(`newDeposits.${i}.depth`)} />
              <SelectField label="Pattern" blank="Not recorded" options={optionsOf(PATTERN_LABELS)} error={e('pattern')} {...register(`newDeposits.${i}.pattern`)} />
            </div>
            <CheckboxField label="At the site of an earlier procedure" error={e('priorProcedureSite')} {...register(`newDeposits.${i}.priorProcedureSite`)} />
            <MeasurementFields register={register} errors={formState.errors} prefix={`newDeposits.${i}.evaluation.`} />
            <button type="button" onClick={() => added.remove(i)}>
              Remove new deposit {i + 1}
            </button>
          </fieldset>
        );
      })}
      <button type="button" onClick={() => added.append(emptyNewDeposit())}>
        Add a new deposit
      </button>

      <h2>Labs</h2>
      <CheckboxField label="Record labs with this visit" {...register('withLabs')} />
      {withLabs && (
        <div className="labs-block">
          <TextField label="Collected on" type="date" hint="Leave empty for the visit date" className="narrow-field" error={errorAt(formState.errors, 'labs.collectedOn')} {...register('labs.collectedOn')} />
          <LabFields register={register} errors={formState.errors} prefix="labs." />
        </div>
      )}

      <div className="form-actions">
        <button type="submit" className="primary" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? 'Saving the visit…' : 'Save visit'}
        </button>
      </div>
    </form>
  );
}
