import { describe, expect, it } from '@jest/globals';
import type { EvaluationDto } from '../visits/dto/evaluation.dto';
import { depositCourse } from './deposit-course';

function ev(id: string, visitDate: string, method: EvaluationDto['method'], longestDiameterMm: number): EvaluationDto {
  return { id, visitDate, method, longestDiameterMm } as EvaluationDto;
}

describe('a deposit course: baseline, nadir and latest', () => {
  it('has nothing to compare before the first evaluation', () => {
    expect(depositCourse([])).toMatchObject({ baseline: null, nadir: null, latest: null, changeSinceNadir: null });
  });

  it('R index pulp by caliper 10 → 8 → 13 mm: nadir 8, +5 mm (+62.5 %) since nadir, +3 mm since baseline', () => {
    const course = depositCourse([ev('a', '2025-01-10', 'caliper', 10), ev('b', '2025-04-10', 'caliper', 8), ev('c', '2025-07-10', 'palpation', 13)]);
    expect(course.methodClass).toBe('clinical');
    expect(course.baseline?.id).toBe('a');
    expect(course.nadir?.id).toBe('b');
    expect(course.latest?.id).toBe('c');
    expect(course.changeSinceNadir).toEqual({ mm: 5, percent: 62.5 });
    expect(course.changeSinceBaseline).toEqual({ mm: 3, percent: 30 });
  });

  it('a latest ultrasound is compared only with earlier ultrasounds, never with palpation', () => {
    const course = depositCourse([ev('a', '2025-01-10', 'palpation', 5), ev('b', '2025-04-10', 'ultrasound', 12), ev('c', '2025-07-10', 'ultrasound', 11)]);
    expect(course.methodClass).toBe('ultrasound');
    expect(course.baseline?.id).toBe('b');
    expect(course.nadir?.id).toBe('c');
    expect(course.changeSinceBaseline).toEqual({ mm: -1, percent: -8.3 });
  });

  it('a single evaluation is its own baseline and nadir, with no change', () => {
    const course = depositCourse([ev('a', '2025-01-10', 'ct', 20)]);
    expect(course.changeSinceBaseline).toEqual({ mm: 0, percent: 0 });
    expect(course.nadir?.id).toBe('a');
  });
});
