import { In, type EntityManager } from 'typeorm';
import { User } from './user.entity';

/**
 * The names of the given users of one clinic, by id. Users are a reference table (every clinic's
 * rows on every node), so the clinic is part of the filter: an id of another clinic gets no name.
 */
export async function userNamesOf(manager: EntityManager, clinicId: string, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const users = await manager.getRepository(User).find({ where: { clinicId, id: In(unique) }, select: { id: true, name: true } });
  return new Map(users.map((u) => [u.id, u.name]));
}
