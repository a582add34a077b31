import { describe, expect, it } from '@jest/globals';
import { csvCell, csvRow } from './csv';

describe('CSV cells a spreadsheet opens safely', () => {
  it.each([
    ['a plain name', 'Ada Example', 'Ada Example'],
    ['a name with a comma is quoted', 'Example, Ada', '"Example, Ada"'],
    ['a quote is doubled', 'the "R" pulp', '"the ""R"" pulp"'],
    ['a line break is quoted', 'two\nlines', '"two\nlines"'],
    ['a formula is neutralised', '=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['a leading plus is neutralised', '+1 555', "'+1 555"],
    ['a leading minus in text is neutralised', '-cmd', "'-cmd"],
    ['a leading at is neutralised', '@SUM(A1)', "'@SUM(A1)"],
    ['a leading tab is neutralised', '\tx', "'\tx"],
    ['a leading carriage return is neutralised and quoted', '\rx', `"'\rx"`],
    ['a negative number stays a number', -6, '-6'],
    ['null is empty', null, ''],
    ['a boolean is spelled', true, 'true'],
  ])('%s', (_story, value, expected) => {
    expect(csvCell(value as never)).toBe(expected);
  });

  it('ends a row with CRLF', () => {
    expect(csvRow(['a', 1, null])).toBe('a,1,\r\n');
  });
});
