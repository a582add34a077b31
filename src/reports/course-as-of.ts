import { depositCourse, type DepositCourse } from '../deposits/deposit-course';
import type { EvaluationDto } from '../visits/dto/evaluation.dto';

/**
 * The deposit's course as it stood at each evaluation (evaluations oldest first): baseline and nadir
 * among the evaluations up to and including it, in its method class — what a physician saw that day.
 */
export function courseAsOfEach(evaluations: EvaluationDto[]): DepositCourse[] {
  return evaluations.map((_, i) => depositCourse(evaluations.slice(0, i + 1)));
}
