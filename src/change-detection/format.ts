// How numbers read in messages and evidence. Messages show mm with at most one decimal and
// percents truncated toward zero; evidence keeps a few more decimals and stays JSON-safe.

export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  // Half away from zero, so a fall rounds like the same rise.
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** "12.5" — up to one decimal. */
export function formatMm(mm: number): string {
  return String(roundTo(mm, 1));
}

function signed(text: string): string {
  return text.startsWith('-') ? text : `+${text}`;
}

/** "+5 mm", "-3.5 mm" */
export function formatSignedMm(mm: number): string {
  return `${signed(formatMm(mm))} mm`;
}

/** "+62 %", "-37 %" — truncated toward zero. */
export function formatSignedPercent(percent: number): string {
  const truncated = Math.trunc(percent);
  return `${signed(String(Object.is(truncated, -0) ? 0 : truncated))} %`;
}

/** "+5 mm, +62 %" or, without a percent, "+5 mm". */
export function formatChange(mm: number, percent: number | null): string {
  return percent === null ? formatSignedMm(mm) : `${formatSignedMm(mm)}, ${formatSignedPercent(percent)}`;
}

/** A number fit for JSON evidence: rounded, and infinities written as strings. */
export function evidenceNumber(value: number, decimals = 2): number | string {
  if (Number.isFinite(value)) return roundTo(value, decimals);
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '+Infinity' : '-Infinity';
}

/** "a", "a and b", "a, b and c" */
export function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
