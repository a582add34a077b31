import { describe, expect, it } from '@jest/globals';
import { bodyProblem, MAX_BODY_DEPTH } from './json-body.middleware';

describe('what a JSON body may not carry', () => {
  const deep = (levels: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < levels; i++) v = [v];
    return { x: v };
  };

  it.each([
    ['an ordinary visit body', { visitDate: '2025-01-10', evaluations: [{ notes: 'José — ok ✓ 🙂' }] }, null],
    ['a "__proto__" key in an evaluation', JSON.parse('{"evaluations":[{"__proto__":{"a":1}}]}'), { field: 'evaluations[0].__proto__', message: 'is not a known field' }],
    ['a "constructor" key at the top', { constructor: { name: 'x' } }, { field: 'constructor', message: 'is not a known field' }],
    ['a NUL character in a name', { name: 'a\u0000b' }, { field: 'name', message: 'must not contain a NUL character' }],
    ['a lone surrogate in an email', { email: 'x\ud83d' }, { field: 'email', message: 'must be valid Unicode text (a lone surrogate)' }],
    ['a nested lone low surrogate', { a: [{ b: '\udc00x' }] }, { field: 'a[0].b', message: 'must be valid Unicode text (a lone surrogate)' }],
    ['nesting just within the limit', deep(MAX_BODY_DEPTH - 2), null],
  ])('%s', (_story, body, expected) => {
    expect(bodyProblem(body)).toEqual(expected);
  });

  it('refuses nesting 20,000 levels deep without exhausting the stack', () => {
    expect(bodyProblem(deep(20_000))?.message).toBe(`is nested deeper than ${MAX_BODY_DEPTH} levels`);
  });
});
