/** A strict RFC 4180 reader for the specs: quoted fields, doubled quotes, CRLF records. Throws on malformed input. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  let fieldStart = true;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i += 1;
        if (i < text.length && text[i] !== ',' && text[i] !== '\r') throw new Error(`text after a closing quote at ${i}`);
      } else {
        field += c;
        i += 1;
      }
    } else if (c === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
      i += 1;
    } else if (c === '"') {
      throw new Error(`a quote inside an unquoted field at ${i}`);
    } else if (c === ',') {
      record.push(field);
      field = '';
      fieldStart = true;
      i += 1;
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      fieldStart = true;
      i += 2;
    } else if (c === '\n' || c === '\r') {
      throw new Error(`a bare line break outside quotes at ${i}`);
    } else {
      field += c;
      fieldStart = false;
      i += 1;
    }
  }
  if (quoted) throw new Error('an unterminated quoted field');
  if (!fieldStart || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}
