// The patient's details, for registering a patient and for changing them: the same fields, the
// responsible physician chosen among the clinic's active physicians. The API's errors land on the
// field they name; the form itself checks nothing (noValidate).
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { messageOf } from '../../../api/errors';
import type { CreatePatient, FieldError, Patient } from '../../../api/types';
import { CheckboxField, FieldGroup, SelectField, TextField } from '../../../components/fields';
import { applyApiErrors, errorAt } from '../../../components/form-errors';
import { ErrorMessage, Loading } from '../../../components/Page';
import { CALCINOSIS_TYPE_LABELS, CONDITION_LABELS, optionsOf, SEX_LABELS } from '../../../labels';
import { usePhysicians } from '../api';

interface Values {
  mrn: string;
  name: string;
  birthDate: string;
  sex: string;
  conditions: string[];
  calcinosisType: string;
  familyHistory: boolean;
  responsiblePhysicianId: string;
}

const FIELDS = ['mrn', 'name', 'birthDate', 'sex', 'conditions', 'calcinosisType', 'familyHistory', 'responsiblePhysicianId'];

function valuesOf(patient: Patient | undefined): Values {
  if (!patient) return { mrn: '', name: '', birthDate: '', sex: '', conditions: [], calcinosisType: 'unknown', familyHistory: false, responsiblePhysicianId: '' };
  return {
    mrn: patient.mrn,
    name: patient.name,
    birthDate: patient.birthDate,
    sex: patient.sex,
    conditions: [...patient.conditions],
    calcinosisType: patient.calcinosisType,
    familyHistory: patient.familyHistory,
    responsiblePhysicianId: patient.responsiblePhysicianId ?? '',
  };
}

export function PatientForm({
  patient,
  submitLabel,
  busyLabel,
  onSave,
}: {
  /** the patient being changed; none when registering */
  patient?: Patient;
  submitLabel: string;
  busyLabel: string;
  onSave: (body: CreatePatient) => Promise<void>;
}) {
  const physicians = usePhysicians();
  const [unplaced, setUnplaced] = useState<FieldError[]>([]);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<Values>({ defaultValues: valuesOf(patient) });
  const { register, handleSubmit, formState } = form;

  const options = (physicians.data ?? []).map((p) => ({ value: p.id, label: p.specialty ? `${p.name} (${p.specialty})` : p.name }));
  const current = patient?.responsiblePhysicianId;
  // a physician since disabled stays shown until someone chooses another
  if (current && physicians.data && !options.some((o) => o.value === current)) options.push({ value: current, label: 'A physician no longer active' });

  const onSubmit = async (v: Values) => {
    setError(null);
    setUnplaced([]);
    const body: CreatePatient = {
      mrn: v.mrn,
      name: v.name,
      birthDate: v.birthDate,
      sex: (v.sex || undefined) as CreatePatient['sex'],
      conditions: v.conditions as CreatePatient['conditions'],
      calcinosisType: v.calcinosisType as CreatePatient['calcinosisType'],
      familyHistory: v.familyHistory,
      responsiblePhysicianId: v.responsiblePhysicianId || null,
    };
    try {
      await onSave(body);
    } catch (err) {
      const rest = applyApiErrors(err, form.setError, (field) => {
        const top = field.split(/[.[]/)[0];
        return FIELDS.includes(top) ? top : null;
      });
      setUnplaced(rest);
      setError(messageOf(err));
    }
  };

  // the select shows the patient's physician only once the options are there
  if (physicians.isPending) return <Loading what="the clinic's physicians" />;

  return (
    <form className="form narrow" noValidate onSubmit={handleSubmit(onSubmit)}>
      <ErrorMessage error={error} unplaced={unplaced} />
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
      <SelectField
        label="Responsible physician"
        blank="None yet"
        options={options}
        hint={physicians.isError ? `The physicians could not be loaded: ${messageOf(physicians.error)}` : undefined}
        error={errorAt(formState.errors, 'responsiblePhysicianId')}
        {...register('responsiblePhysicianId')}
      />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? busyLabel : submitLabel}
        </button>
      </div>
    </form>
  );
}
