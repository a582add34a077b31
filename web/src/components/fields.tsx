// Form fields with a visible label, an optional hint and the field's error linked to the control
// (aria-invalid, aria-describedby). Forms are noValidate: the API's rules decide, and its errors
// land here by field name.
import { useId, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface FieldBase {
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  className?: string;
}

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter(Boolean).join(' ');
  return list || undefined;
}

function useFieldIds(id: string | undefined) {
  const auto = useId();
  const inputId = id ?? `f${auto.replace(/[^a-zA-Z0-9_-]/g, '')}`;
  return { inputId, hintId: `${inputId}-hint`, errorId: `${inputId}-error` };
}

function FieldMessages({ hint, hintId, error, errorId }: { hint?: ReactNode; hintId: string; error?: string; errorId: string }) {
  return (
    <>
      {hint && (
        <span id={hintId} className="hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
    </>
  );
}

export function TextField({ label, error, hint, className, id, ref, ...input }: FieldBase & InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> }) {
  const { inputId, hintId, errorId } = useFieldIds(id);
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        ref={ref}
        type="text"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint !== undefined && hintId, !!error && errorId)}
        {...input}
      />
      <FieldMessages hint={hint} hintId={hintId} error={error} errorId={errorId} />
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField({
  label,
  error,
  hint,
  className,
  id,
  ref,
  options,
  blank,
  ...select
}: FieldBase & SelectHTMLAttributes<HTMLSelectElement> & { ref?: Ref<HTMLSelectElement>; options: readonly Option[]; blank?: string }) {
  const { inputId, hintId, errorId } = useFieldIds(id);
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={inputId}>{label}</label>
      <select
        id={inputId}
        ref={ref}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint !== undefined && hintId, !!error && errorId)}
        {...select}
      >
        {blank !== undefined && <option value="">{blank}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldMessages hint={hint} hintId={hintId} error={error} errorId={errorId} />
    </div>
  );
}

export function TextAreaField({ label, error, hint, className, id, ref, ...area }: FieldBase & TextareaHTMLAttributes<HTMLTextAreaElement> & { ref?: Ref<HTMLTextAreaElement> }) {
  const { inputId, hintId, errorId } = useFieldIds(id);
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={inputId}>{label}</label>
      <textarea
        id={inputId}
        ref={ref}
        rows={3}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint !== undefined && hintId, !!error && errorId)}
        {...area}
      />
      <FieldMessages hint={hint} hintId={hintId} error={error} errorId={errorId} />
    </div>
  );
}

export function CheckboxField({ label, error, hint, className, id, ref, ...input }: FieldBase & InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> }) {
  const { inputId, hintId, errorId } = useFieldIds(id);
  return (
    <div className={`field field--checkbox${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <input
        id={inputId}
        ref={ref}
        type="checkbox"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint !== undefined && hintId, !!error && errorId)}
        {...input}
      />
      <label htmlFor={inputId}>{label}</label>
      <FieldMessages hint={hint} hintId={hintId} error={error} errorId={errorId} />
    </div>
  );
}

/** A group of related controls with a visible legend, and an error for the group as a whole. */
export function FieldGroup({ legend, error, children, className }: { legend: ReactNode; error?: string; children: ReactNode; className?: string }) {
  const errorId = useId();
  return (
    <fieldset className={`field-group${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`} aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      {children}
      {error && (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
    </fieldset>
  );
}
