import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import { messageOf } from '../../../api/errors';
import type { CreatePatient, FieldError } from '../../../api/types';
import { CheckboxField, FieldGroup, SelectField, TextField } from '../../../components/fields';
import { applyApiErrors, errorAt } from '../../../components/form-errors';
import { ErrorMessage, Page } from '../../../components/Page';
import { CALCINOSIS_TYPE_LABELS, CONDITION_LABELS, optionsOf, SEX_LABELS } from '../../../labels';
import { idempotencyKeys } from '../../../lib/id';
import { useCreatePatient } from '../api';

interface Values {
  mrn: string;
  name: string;
  birthDate: string;
  sex: string;
  conditions: string[];
  calcinosisType: string;
  familyHistory: boolean;
}

const FIELDS = ['mrn', 'name', 'birthDate', 'sex', 'conditions', 'calcinosisType', 'familyHistory'];

export function NewPatientPage() {
  const navigate = useNavigate();
  const create = useCreatePatient();
  const keys = useMemo(() => idempotencyKeys(), []);
  const [unplaced, setUnplaced] = useState<FieldError[]>([]);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<Values>({ defaultValues: { mrn: '', name: '', birthDate: '', sex: '', conditions: [], calcinosisType: 'unknown', familyHistory: false } });
  const { register, handleSubmit, formState } = form;

  const onSubmit = async (v: Values) => {
    setError(null);
    setUnplaced([]);
    const body = {
      mrn: v.mrn,
      name: v.name,
      birthDate: v.birthDate,
      sex: (v.sex || undefined) as CreatePatient['sex'],
      conditions: v.conditions as CreatePatient['conditions'],
      calcinosisType: v.calcinosisType as CreatePatient['calcinosisType'],
      familyHistory: v.familyHistory,
    };
    try {
      const patient = await create.mutateAsync({ body, idempotencyKey: keys.keyFor(body) });
      keys.done();
      navigate(`/patients/${patient.id}`);
    } catch (err) {
      const rest = applyApiErrors(err, form.setError, (field) => {
        const top = field.split(/[.[]/)[0];
        return FIELDS.includes(top) ? top : null;
      });
      setUnplaced(rest);
      setError(messageOf(err));
    }
  };

  return (
    <Page title="Register a patient">
      <form className="form narrow" noValidate onSubmit={handleSubmit(onSubmit)}>
        <ErrorMessage error={error}>
          {unplaced.length > 0 && (
            <ul>
              {unplaced.map((u) => (
                <li key={u.field}>
                  {u.field}: {u.messages.join('; ')}
                </li>
              ))}
            </ul>
          )}
        </ErrorMessage>
        <TextField label="MRN" hint="Medical record number, unique in the clinic" error={errorAt(formState.errors, 'mrn')} {...register('mrn')} />
        <TextField label="Name" autoComplete="off" error={errorAt(formState.errors, 'name')} {...register('name')} />
        <TextField label="Birth date" type="date" error={errorAt(formState.errors, 'birthDate')} {...register('birthDate')} />
        <SelectField label="Sex" blank="Choose…" options={optionsOf(SEX_LABELS)} error={errorAt(formState.errors, 'sex')} {...register('sex')} />
        <FieldGroup legend="Conditions" error={errorAt(formState.errors, 'conditions')} className="checkbox-grid">
          {optionsOf(CONDITION_LABELS).map((o) => (
            <CheckboxField key={o.value} label={o.label} value={o.value} {...register('conditions')} />
          ))}
        </FieldGroup>
        <SelectField label="Calcinosis type" options={optionsOf(CALCINOSIS_TYPE_LABELS)} error={errorAt(formState.errors, 'calcinosisType')} {...register('calcinosisType')} />
        <CheckboxField label="Family history of calcinosis" error={errorAt(formState.errors, 'familyHistory')} {...register('familyHistory')} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={formState.isSubmitting}>
            {formState.isSubmitting ? 'Registering…' : 'Register patient'}
          </button>
        </div>
      </form>
    </Page>
  );
}
