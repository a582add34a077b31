import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { messageOf } from '../../../api/errors';
import type { FieldError, LabResult } from '../../../api/types';
import { TextField } from '../../../components/fields';
import { applyApiErrors, errorAt } from '../../../components/form-errors';
import { ErrorMessage } from '../../../components/Page';
import { idempotencyKeys, localToday } from '../../../lib/id';
import { useCreateLab } from '../api';
import { emptyLabValues, LabFields, labBody, type LabValues } from './LabFields';

const v = (n: number | null) => (n === null ? '—' : String(n));

function LabForm({ patientId }: { patientId: string }) {
  const create = useCreateLab(patientId);
  const keys = useMemo(() => idempotencyKeys(), []);
  const [error, setError] = useState<string | null>(null);
  const [unplaced, setUnplaced] = useState<FieldError[]>([]);
  const [saved, setSaved] = useState('');
  const form = useForm<{ collectedOn: string; lab: LabValues }>({ defaultValues: { collectedOn: localToday(), lab: emptyLabValues() } });

  const onSubmit = async (values: { collectedOn: string; lab: LabValues }) => {
    setError(null);
    setUnplaced([]);
    setSaved('');
    const body = { collectedOn: values.collectedOn, ...(labBody(values.lab) ?? {}) };
    try {
      const lab = await create.mutateAsync({ body, idempotencyKey: keys.keyFor(body) });
      keys.done();
      form.reset({ collectedOn: localToday(), lab: emptyLabValues() });
      setSaved(`Saved the lab of ${lab.collectedOn}${lab.correctedCalciumMgDl !== null ? `: corrected calcium ${lab.correctedCalciumMgDl} mg/dL` : ''}.`);
    } catch (err) {
      setUnplaced(applyApiErrors(err, form.setError, (f) => (f === 'collectedOn' ? f : /^(calcium|albumin|phosphate|pth|vitaminD|egfr)/.test(f) ? `lab.${f.replace(/\[(\d+)\]/g, '.$1')}` : null)));
      setError(messageOf(err));
    }
  };

  return (
    <form className="form inline-form" noValidate onSubmit={form.handleSubmit(onSubmit)} aria-labelledby="add-lab">
      <h3 id="add-lab">Add a lab result</h3>
      <ErrorMessage error={error} unplaced={unplaced} />
      <TextField label="Collected on" type="date" error={errorAt(form.formState.errors, 'collectedOn')} {...form.register('collectedOn')} />
      <LabFields register={form.register} errors={form.formState.errors} prefix="lab." />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? 'Saving…' : 'Add lab result'}
        </button>
        <span role="status">{saved}</span>
      </div>
    </form>
  );
}

/** Values in conventional units with the corrected calcium and the Ca×P product, all from the API. */
export function LabsSection({ patientId, labs, canRecord }: { patientId: string; labs: LabResult[]; canRecord: boolean }) {
  return (
    <section aria-labelledby="labs-heading" className="card">
      <h2 id="labs-heading">Labs</h2>
      {labs.length === 0 ? (
        <p>No lab results recorded.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Lab results, conventional units</caption>
            <thead className="compact-head">
              <tr>
                <th scope="col">Collected</th>
                <th scope="col">
                  Ca <span className="unit">mg/dL</span>
                </th>
                <th scope="col">
                  Albumin <span className="unit">g/dL</span>
                </th>
                <th scope="col">
                  Corrected Ca <span className="unit">mg/dL</span>
                </th>
                <th scope="col">
                  Phosphate <span className="unit">mg/dL</span>
                </th>
                <th scope="col">
                  Ca×P <span className="unit">mg²/dL²</span>
                </th>
                <th scope="col">
                  PTH <span className="unit">pg/mL</span>
                </th>
                <th scope="col">
                  Vit. D <span className="unit">ng/mL</span>
                </th>
                <th scope="col">
                  eGFR <span className="unit">mL/min</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {labs.map((l) => (
                <tr key={l.id}>
                  <td>{l.collectedOn}</td>
                  <td>{v(l.calciumMgDl)}</td>
                  <td>{v(l.albuminGDl)}</td>
                  <td>{v(l.correctedCalciumMgDl)}</td>
                  <td>{v(l.phosphateMgDl)}</td>
                  <td>{v(l.calciumPhosphateProduct)}</td>
                  <td>{v(l.pthPgMl)}</td>
                  <td>{v(l.vitaminDNgMl)}</td>
                  <td>{v(l.egfrMlMin173m2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canRecord && <LabForm patientId={patientId} />}
    </section>
  );
}
