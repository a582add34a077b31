import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, SetMetadata } from '@nestjs/common';

// where @HttpCode() keeps a handler's status (@nestjs/common's constants are not exported from its index)
const HTTP_CODE_METADATA = '__httpCode__';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { DataSource } from 'typeorm';
import { auditRequest, type AuditedRequest } from '../audit/request-audit';
import { isSerializationFailure } from './pg-errors';
import { runAsClinic } from './tenant-context';

export const NO_TRANSACTION_KEY = 'calcitrack:no-transaction';

/** The handler manages its own connection (a streamed export): no request transaction. */
export const NoRequestTransaction = () => SetMetadata(NO_TRANSACTION_KEY, true);

export const MAX_ATTEMPTS = 3;

/**
 * One transaction per authenticated request, acting for the caller's clinic (row-level security),
 * committed only when the handler succeeded: a fault never leaves half a change behind. A
 * serialisation failure or deadlock rolls everything back and runs the handler again, a bounded
 * number of times.
 */
@Injectable()
export class RequestTransactionInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<AuditedRequest>();
    const user = req.user;
    if (!user) return next.handle();
    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? (req.method === 'POST' ? 201 : 200);
    const ownConnection = this.reflector.getAllAndOverride<boolean>(NO_TRANSACTION_KEY, [context.getHandler(), context.getClass()]);
    return from(ownConnection ? this.runOnOwnConnection(user.clinicId, req, status, next) : this.run(user.clinicId, req, status, next));
  }

  /** The handler, and the audit event of its success, in one transaction: both or neither. */
  private async run(clinicId: string, req: AuditedRequest, status: number, next: CallHandler): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await runAsClinic(this.dataSource, clinicId, async (manager) => {
          const result = await lastValueFrom(next.handle(), { defaultValue: undefined });
          await auditRequest(manager, req, status, result);
          return result;
        });
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !isSerializationFailure(err)) throw err;
      }
    }
  }

  /** A streamed export holds its own connection: its audit event is written when it is handed over. */
  private async runOnOwnConnection(clinicId: string, req: AuditedRequest, status: number, next: CallHandler): Promise<unknown> {
    const result = await lastValueFrom(next.handle(), { defaultValue: undefined });
    await runAsClinic(this.dataSource, clinicId, (manager) => auditRequest(manager, req, status, undefined));
    return result;
  }
}
