/** A random UUID v4 for Idempotency-Key headers (crypto.randomUUID needs a secure context; getRandomValues does not). */
export function newId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The Idempotency-Key of a form: the same for a retry of the same submission (same body), a new
 * one once the body changed (an edit) or after a save (`done`).
 */
export function idempotencyKeys() {
  let last: { key: string; body: string } | null = null;
  return {
    keyFor(body: unknown): string {
      const text = JSON.stringify(body);
      if (!last || last.body !== text) last = { key: newId(), body: text };
      return last.key;
    },
    done(): void {
      last = null;
    },
  };
}

/** Today as YYYY-MM-DD in the user's own time zone (a visit's date is the clinic's day). */
export function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
