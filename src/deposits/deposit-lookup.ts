import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Deposit } from './deposit.entity';

/** Always within the caller's clinic: another clinic's deposit is "not found". */
export async function findDepositOrFail(manager: EntityManager, clinicId: string, id: string): Promise<Deposit> {
  const deposit = await manager.getRepository(Deposit).findOne({ where: { id, clinicId } });
  if (!deposit) throw DomainError.notFound('deposit');
  return deposit;
}
