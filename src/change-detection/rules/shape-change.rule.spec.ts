import { describe, expect, it } from '@jest/globals';
import { context, deposit, evaluation, settings } from '../testing/fixtures';
import type { EvaluationPoint } from '../types';
import { shapeChangeRule } from './shape-change.rule';

type Look = Pick<EvaluationPoint, 'shape' | 'margin'>;

const history = (previous: Look, current: Look) =>
  deposit([evaluation('2025-03-01', 10, previous), evaluation('2025-06-01', 10, current)]);

describe('SHAPE_CHANGE', () => {
  it.each<{ story: string; previous: Look; current: Look; fires: boolean }>([
    { story: 'a round nodule turning irregular fires', previous: { shape: 'round' }, current: { shape: 'irregular' }, fires: true },
    { story: 'an oval deposit turning lobulated fires', previous: { shape: 'oval' }, current: { shape: 'lobulated' }, fires: true },
    { story: 'irregular becoming lobulated is not a new irregularity', previous: { shape: 'irregular' }, current: { shape: 'lobulated' }, fires: false },
    { story: 'a round nodule becoming oval stays quiet', previous: { shape: 'round' }, current: { shape: 'oval' }, fires: false },
    { story: 'an unknown previous shape cannot have turned: quiet', previous: { shape: null }, current: { shape: 'irregular' }, fires: false },
    { story: 'an unrecorded current shape stays quiet', previous: { shape: 'round' }, current: {}, fires: false },
    { story: 'a well-defined margin turning ill-defined fires', previous: { margin: 'well-defined' }, current: { margin: 'ill-defined' }, fires: true },
    { story: 'a margin already ill-defined stays quiet', previous: { margin: 'ill-defined' }, current: { margin: 'ill-defined' }, fires: false },
    { story: 'an unknown previous margin stays quiet', previous: { margin: null }, current: { margin: 'ill-defined' }, fires: false },
    { story: 'a margin that sharpened is good news: quiet', previous: { margin: 'ill-defined' }, current: { margin: 'well-defined' }, fires: false },
  ])('$story', ({ previous, current, fires }) => {
    expect(shapeChangeRule(history(previous, current), context('2025-06-01'), settings()) !== null).toBe(fires);
  });

  it.each([
    ['an empty history', deposit([])],
    ['a first evaluation', deposit([evaluation('2025-06-01', 10, { shape: 'irregular', margin: 'ill-defined' })])],
  ])('stays quiet for %s', (_story, input) => {
    expect(shapeChangeRule(input, context('2025-06-01'), settings())).toBeNull();
  });

  it('reports shape and margin together as one warning', () => {
    const finding = shapeChangeRule(
      history({ shape: 'round', margin: 'well-defined' }, { shape: 'irregular', margin: 'ill-defined' }),
      context('2025-06-01'),
      settings(),
    );
    expect(finding).toMatchObject({ rule: 'SHAPE_CHANGE', severity: 'warning' });
    expect(finding?.message).toBe(
      'R index pulp: its shape turned from round to irregular and its margin turned from well-defined to ill-defined between 2025-03-01 and 2025-06-01',
    );
    expect(finding?.evidence).toMatchObject({ shapeTurnedIrregular: true, marginTurnedIllDefined: true, settingsVersion: 3 });
    expect(finding?.suggestedAction.suggestedTier).toBe(1);
  });
});
