import { describe, expect, it } from '@jest/globals';
import { pdfSafe } from './pdf-text';

describe('text for the built-in (WinAnsi) PDF fonts', () => {
  it.each([
    ['plain ASCII stays as it is', 'MRN-0001 R index pulp', 'MRN-0001 R index pulp'],
    ['Latin-1 letters and signs are in WinAnsi', 'Çelik Müller ± ² ³ × µ ½ é', 'Çelik Müller ± ² ³ × µ ½ é'],
    ['the Windows-1252 extras are kept', '€ – — “ ” ‘ ’ • … ™ Œ ž', '€ – — “ ” ‘ ’ • … ™ Œ ž'],
    ['comparison signs and arrows are spelled out', '≥ 20 % and ≤ 5 mm, 10 → 13', '>= 20 % and <= 5 mm, 10 -> 13'],
    ['Greek pi and mu are spelled or mapped', 'π/4 · a · b, 5 μm', 'pi/4 · a · b, 5 µm'],
    ['accents outside WinAnsi are dropped', 'Dvořák Łukasz Őz', 'Dvorák ?ukasz Oz'],
    ['other scripts become question marks', '漢字 Ж', '?? ?'],
    ['CRLF line breaks become LF, tabs spaces', 'a\r\nb\tc', 'a\nb c'],
    ['empty stays empty', '', ''],
  ])('%s', (_story, input, expected) => {
    expect(pdfSafe(input)).toBe(expected);
  });
});
