import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Patient } from './patient.entity';

/**
 * The one way to reach a patient: always within the caller's clinic, so another clinic's patient is
 * "not found", exactly like a missing one. `lock` serialises writers on the patient (visits, amendments).
 */
export async function findPatientOrFail(manager: EntityManager, clinicId: string, id: string, lock = false): Promise<Patient> {
  const patient = await manager.getRepository(Patient).findOne({
    where: { id, clinicId },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!patient) throw DomainError.notFound('patient');
  return patient;
}
