import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import { currentTenantScope } from './tenant-context';

/**
 * The database as services see it: inside a request (or another tenant scope) every call goes to
 * that scope's transaction, so a request reads and writes through one transaction that carries its
 * clinic for row-level security. `transaction()` joins the scope's transaction when there is one.
 */
@Injectable()
export class Db {
  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return currentTenantScope()?.manager ?? this.dataSource.manager;
  }

  getRepository<E extends ObjectLiteral>(target: EntityTarget<E>): Repository<E> {
    return this.manager.getRepository(target);
  }

  query<T = unknown>(sql: string, params?: unknown[]): Promise<T> {
    return this.manager.query(sql, params);
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const scope = currentTenantScope();
    return scope ? work(scope.manager) : this.dataSource.transaction(work);
  }
}
