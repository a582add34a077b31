// Correcting an evaluation: the stored values in the visit form's fields, a reason, and the API's
// answer — the new version and the alerts the correction raised or updated. Earlier versions stay,
// listed with who recorded each and why.
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { messageOf } from '../../../api/errors';
import type { AmendEvaluation as AmendBody, Evaluation, FieldError } from '../../../api/types';
import { TextAreaField } from '../../../components/fields';
import { applyApiErrors, errorAt } from '../../../components/form-errors';
import { ErrorMessage } from '../../../components/Page';
import { SeverityBadge } from '../../../components/Severity';
import { METHOD_LABELS, RULE_LABELS } from '../../../labels';
import { amendFormPathOf, amendmentBody, amendValuesOf, type AmendValues } from '../amendment-body';
import { useAmendEvaluation, useEvaluationHistory } from '../api';
import { MeasurementFields } from './MeasurementFields';

function History({ evaluationId }: { evaluationId: string }) {
  const history = useEvaluationHistory(evaluationId);
  if (history.isPending) return <p>Loading the versions…</p>;
  if (history.isError) return <ErrorMessage error={messageOf(history.error)} />;
  return (
    <ol className="versions" aria-label="Versions of this evaluation">
      {history.data.map((v) => (
        <li key={v.version}>
          Version {v.version}, {new Date(v.recordedAt).toLocaleString()}
          {v.recordedByName && ` by ${v.recordedByName}`}: {METHOD_LABELS[v.method]}, {v.longestDiameterMm} mm — {v.reason ?? 'as first recorded'}
        </li>
      ))}
    </ol>
  );
}

export function AmendEvaluation({ evaluation, depositLabel, onClose }: { evaluation: Evaluation; depositLabel: string; onClose: () => void }) {
  const amend = useAmendEvaluation(evaluation.id);
  const form = useForm<AmendValues>({ defaultValues: amendValuesOf(evaluation) });
  const { register, handleSubmit, formState } = form;
  const [error, setError] = useState<string | null>(null);
  const [unplaced, setUnplaced] = useState<FieldError[]>([]);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const saved = amend.data;

  const onSubmit = async (v: AmendValues) => {
    setError(null);
    setUnplaced([]);
    try {
      await amend.mutateAsync(amendmentBody(evaluation, v) as AmendBody);
    } catch (err) {
      setUnplaced(applyApiErrors(err, form.setError, amendFormPathOf));
      setError(messageOf(err));
    }
  };

  const title = `Correct the evaluation of ${depositLabel} on ${evaluation.visitDate}`;
  return (
    <section className="card amend" aria-labelledby={`amend-${evaluation.id}`}>
      <h4 id={`amend-${evaluation.id}`} ref={heading} tabIndex={-1}>
        {title}
      </h4>
      <History evaluationId={evaluation.id} />
      {saved ? (
        <div role="status">
          <p>
            Saved as version {saved.version}. Earlier versions are kept.
          </p>
          {saved.alerts.length === 0 ? (
            <p>No alert was raised or updated by the correction.</p>
          ) : (
            <>
              <p>Alerts the correction raised or updated:</p>
              <ul className="alert-list">
                {saved.alerts.map((a) => (
                  <li key={a.id}>
                    <SeverityBadge severity={a.severity} /> <Link to={`/alerts/${a.id}`}>{RULE_LABELS[a.rule]}</Link>: {a.message}
                  </li>
                ))}
              </ul>
            </>
          )}
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      ) : (
        <form noValidate onSubmit={handleSubmit(onSubmit)} className="form">
          <ErrorMessage error={error} unplaced={unplaced} />
          <MeasurementFields register={register} errors={formState.errors} prefix="m." />
          <TextAreaField label="Reason for the correction" rows={2} hint="Kept with the new version, e.g. “transcription error: 13 mm, not 18 mm”" error={errorAt(formState.errors, 'reason')} {...register('reason')} />
          <div className="form-actions">
            <button type="submit" className="primary" disabled={formState.isSubmitting}>
              {formState.isSubmitting ? 'Saving…' : 'Save correction'}
            </button>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
