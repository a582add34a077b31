import type { FieldErrors, FieldValues, Path, UseFormRegister } from 'react-hook-form';
import { CheckboxField, FieldGroup, SelectField, TextAreaField, TextField } from '../../../components/fields';
import { errorAt } from '../../../components/form-errors';
import { DRAINAGE_LABELS, MARGIN_LABELS, METHOD_LABELS, MOBILITY_LABELS, optionsOf, SHAPE_LABELS } from '../../../labels';

/** The fields of one evaluation; `prefix` is its place in the form (`rows.2.`, `newDeposits.0.evaluation.`, an amendment's `m.`). */
export function MeasurementFields<T extends FieldValues>({ register, errors, prefix }: { register: UseFormRegister<T>; errors: FieldErrors<T>; prefix: string }) {
  const r = (name: string) => register(`${prefix}${name}` as Path<T>);
  const e = (name: string) => errorAt(errors, `${prefix}${name}`);
  return (
    <div className="measurement">
      <div className="grid">
        <SelectField label="Method" options={optionsOf(METHOD_LABELS)} error={e('method')} {...r('method')} />
        <TextField label="Longest diameter (mm)" inputMode="decimal" error={e('longestDiameterMm')} {...r('longestDiameterMm')} />
        <TextField label="Perpendicular diameter (mm)" inputMode="decimal" error={e('perpendicularDiameterMm')} {...r('perpendicularDiameterMm')} />
        <TextField label="Depth (mm)" inputMode="decimal" error={e('depthMm')} {...r('depthMm')} />
        <SelectField label="Shape" blank="Not recorded" options={optionsOf(SHAPE_LABELS)} error={e('shape')} {...r('shape')} />
        <SelectField label="Margin" blank="Not recorded" options={optionsOf(MARGIN_LABELS)} error={e('margin')} {...r('margin')} />
        <SelectField label="Mobility" blank="Not recorded" options={optionsOf(MOBILITY_LABELS)} error={e('mobility')} {...r('mobility')} />
        <SelectField label="Drainage" options={optionsOf(DRAINAGE_LABELS)} error={e('drainage')} {...r('drainage')} />
        <TextField label="Pain (0–10)" inputMode="numeric" error={e('painScore')} {...r('painScore')} />
      </div>
      <FieldGroup legend="Signs" className="checkbox-row">
        <CheckboxField label="Ulcerated" error={e('ulcerated')} {...r('ulcerated')} />
        <CheckboxField label="Infection signs" error={e('infectionSigns')} {...r('infectionSigns')} />
        <CheckboxField label="Inflammation" error={e('inflammation')} {...r('inflammation')} />
        <CheckboxField label="Nerve compression" error={e('nerveCompression')} {...r('nerveCompression')} />
      </FieldGroup>
      <FieldGroup legend="Position from a landmark" className="grid" error={e('position')}>
        <TextField label="Landmark" error={e('position.landmark')} {...r('position.landmark')} />
        <TextField label="Offset x (mm)" inputMode="decimal" error={e('position.xMm')} {...r('position.xMm')} />
        <TextField label="Offset y (mm)" inputMode="decimal" error={e('position.yMm')} {...r('position.yMm')} />
      </FieldGroup>
      <TextAreaField label="Notes" rows={2} error={e('notes')} {...r('notes')} />
    </div>
  );
}
