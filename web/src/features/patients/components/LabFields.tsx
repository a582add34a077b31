import type { FieldErrors, FieldValues, Path, UseFormRegister } from 'react-hook-form';
import type { LabInput } from '../../../api/types';
import { SelectField, TextField } from '../../../components/fields';
import { errorAt, numberOrText } from '../../../components/form-errors';

type Analyte = Exclude<keyof LabInput, 'collectedOn'>;

/** Each analyte with the units the API accepts (conventional first; SI is converted by the API). */
export const ANALYTES: { key: Analyte; label: string; units: string[] }[] = [
  { key: 'calcium', label: 'Calcium', units: ['mg/dL', 'mmol/L'] },
  { key: 'albumin', label: 'Albumin', units: ['g/dL', 'g/L'] },
  { key: 'phosphate', label: 'Phosphate', units: ['mg/dL', 'mmol/L'] },
  { key: 'pth', label: 'PTH', units: ['pg/mL', 'ng/L', 'pmol/L'] },
  { key: 'vitaminD', label: '25-OH vitamin D', units: ['ng/mL', 'nmol/L'] },
  { key: 'egfr', label: 'eGFR', units: ['mL/min/1.73m2'] },
];

export type LabValues = Record<Analyte, { value: string; unit: string }>;

export function emptyLabValues(): LabValues {
  return Object.fromEntries(ANALYTES.map((a) => [a.key, { value: '', unit: a.units[0] }])) as LabValues;
}

/** The analytes that have a value, as the API takes them; null when none has. */
export function labBody(values: LabValues): Omit<LabInput, 'collectedOn'> | null {
  const body: Record<string, { value: number; unit: string }> = {};
  for (const a of ANALYTES) {
    const v = numberOrText(values[a.key].value);
    if (v !== undefined) body[a.key] = { value: v as number, unit: values[a.key].unit };
  }
  return Object.keys(body).length ? (body as Omit<LabInput, 'collectedOn'>) : null;
}

/** Value and unit of each analyte; `prefix` is where the lab values sit in the form (`labs.` in a visit). */
export function LabFields<T extends FieldValues>({ register, errors, prefix = '' }: { register: UseFormRegister<T>; errors: FieldErrors; prefix?: string }) {
  return (
    <div className="lab-grid">
      {ANALYTES.map((a) => (
        <div className="lab-row" key={a.key}>
          <TextField label={a.label} inputMode="decimal" error={errorAt(errors, `${prefix}${a.key}.value`) ?? errorAt(errors, `${prefix}${a.key}`)} {...register(`${prefix}${a.key}.value` as Path<T>)} />
          <SelectField
            label={`${a.label} unit`}
            options={a.units.map((u) => ({ value: u, label: u }))}
            error={errorAt(errors, `${prefix}${a.key}.unit`)}
            {...register(`${prefix}${a.key}.unit` as Path<T>)}
          />
        </div>
      ))}
    </div>
  );
}
