// The built-in Helvetica fonts encode text as WinAnsi (Windows-1252): a character outside it comes
// out as garbage. Every string the PDF prints goes through `pdfSafe` first.

/** The characters of Windows-1252 above Latin-1's C1 block (0x80–0x9F). */
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

const REPLACEMENTS: Readonly<Record<string, string>> = {
  '≥': '>=',
  '≤': '<=',
  '≠': '!=',
  '≈': '~',
  '→': '->',
  '←': '<-',
  '↑': 'up',
  '↓': 'down',
  '−': '-',
  '‐': '-',
  '‑': '-',
  '‒': '-',
  'π': 'pi',
  'μ': 'µ',
  'Δ': 'delta ',
  '∆': 'delta ',
  '✓': 'yes',
  '✗': 'no',
  '\u00a0': ' ',
  '\u202f': ' ',
  '\u2009': ' ',
  '\t': ' ',
};

function encodable(ch: string): boolean {
  const code = ch.codePointAt(0)!;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(ch) || ch === '\n';
}

/**
 * Text the standard fonts can show: known symbols spelled out (≥ → ">="), accents dropped when the
 * accented letter is not in WinAnsi (ő → o), anything else a "?". Line breaks are kept.
 */
export function pdfSafe(text: string): string {
  let out = '';
  for (const ch of text.replace(/\r\n?/g, '\n')) {
    if (encodable(ch)) out += ch;
    else if (REPLACEMENTS[ch] !== undefined) out += REPLACEMENTS[ch];
    else {
      const stripped = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += stripped && [...stripped].every(encodable) ? stripped : '?';
    }
  }
  return out;
}
