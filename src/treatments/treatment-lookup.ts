import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Treatment } from './treatment.entity';

/** Always within the caller's clinic: another clinic's treatment is "not found", like a missing one. */
export async function findTreatmentOrFail(manager: EntityManager, clinicId: string, id: string): Promise<Treatment> {
  const treatment = await manager.getRepository(Treatment).findOne({ where: { id, clinicId } });
  if (!treatment) throw DomainError.notFound('treatment');
  return treatment;
}
