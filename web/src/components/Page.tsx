import { useEffect, useRef, type ReactNode } from 'react';
import type { FieldError } from '../api/types';

/**
 * A page's heading and the document title. The heading takes focus when the page opens, so a
 * screen reader announces where a link or a form led (the skip link still jumps to main).
 */
export function Page({ title, children, actions, subtitle }: { title: string; children: ReactNode; actions?: ReactNode; subtitle?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Calcitrack`;
  }, [title]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1 ref={heading} tabIndex={-1}>
            {title}
          </h1>
          {subtitle && <div className="subtitle">{subtitle}</div>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
      {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="page-status" role="status">
      Loading {what}…
    </p>
  );
}

/**
 * A form's error: the API's message, and the field errors it names that no field of the form shows
 * (`unplaced`), listed by field.
 */
export function ErrorMessage({ error, unplaced = [], children }: { error?: string | null; unplaced?: FieldError[]; children?: ReactNode }) {
  if (!error && unplaced.length === 0 && !children) return null;
  return (
    <div className="form-error" role="alert">
      {error}
      {unplaced.length > 0 && (
        <ul>
          {unplaced.map((u) => (
            <li key={u.field}>
              {u.field}: {u.messages.join('; ')}
            </li>
          ))}
        </ul>
      )}
      {children}
    </div>
  );
}
