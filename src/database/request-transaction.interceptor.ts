import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, SetMetadata } from '@nestjs/common';

// where @HttpCode() keeps a handler's status (@nestjs/common's constants are not exported from its index)
const HTTP_CODE_METADATA = '__httpCode__';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { DataSource } from 'typeorm';
import type { Response } from 'express';
import { auditEventStatement } from '../audit/audit-writer';
import { auditEventOf, auditRequest, type AuditedRequest } from '../audit/request-audit';
import type { AuthUser } from '../auth/auth-user';
import { claimKey, completeKey, IDEMPOTENT_KEY, releaseKey, requestHash, validateKey } from '../idempotency/idempotency';
import { isSerializationFailure } from './pg-errors';
import { runAsClinic, runAsClinicThenCommit } from './tenant-context';

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
    if (ownConnection) return from(this.runOnOwnConnection(user.clinicId, req, status, next));
    const header = req.header('idempotency-key');
    const idempotent = header !== undefined && this.reflector.get<boolean>(IDEMPOTENT_KEY, context.getHandler());
    return from(idempotent ? this.runOnce(user, req, status, validateKey(header), context, next) : this.run(user.clinicId, req, status, next));
  }

  /**
   * The handler, its audit event and (with an Idempotency-Key) its stored response, in one
   * transaction: all or nothing.
   */
  private async run(clinicId: string, req: AuditedRequest, status: number, next: CallHandler, idempotencyKey?: string): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await runAsClinicThenCommit(this.dataSource, clinicId, async (manager) => {
          const result = await lastValueFrom(next.handle(), { defaultValue: undefined });
          if (idempotencyKey) await completeKey(manager, clinicId, idempotencyKey, status, result);
          // the audit event is sent with the COMMIT: one round trip for both
          return { value: result, last: auditEventStatement({ ...(await auditEventOf(manager, req, status, result)), clinicId }) };
        });
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !isSerializationFailure(err)) throw err;
      }
    }
  }

  /** A creating POST with an Idempotency-Key: the first request runs; a retry gets its response. */
  private async runOnce(user: AuthUser, req: AuditedRequest, status: number, key: string, context: ExecutionContext, next: CallHandler): Promise<unknown> {
    const claim = await claimKey(this.dataSource, user.clinicId, user.id, key, requestHash(req.method, req.originalUrl.split('?')[0], req.body));
    if (claim.kind === 'replay') {
      context.switchToHttp().getResponse<Response>().setHeader('Idempotent-Replayed', 'true');
      await runAsClinic(this.dataSource, user.clinicId, (manager) => auditRequest(manager, req, claim.status, claim.body));
      return claim.body;
    }
    try {
      return await this.run(user.clinicId, req, status, next, key);
    } catch (err) {
      await releaseKey(this.dataSource, user.clinicId, key).catch(() => undefined);
      throw err;
    }
  }

  /** A streamed export holds its own connection: its audit event is written when it is handed over. */
  private async runOnOwnConnection(clinicId: string, req: AuditedRequest, status: number, next: CallHandler): Promise<unknown> {
    const result = await lastValueFrom(next.handle(), { defaultValue: undefined });
    await runAsClinic(this.dataSource, clinicId, (manager) => auditRequest(manager, req, status, undefined));
    return result;
  }
}
