import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
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
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    const skip = this.reflector.getAllAndOverride<boolean>(NO_TRANSACTION_KEY, [context.getHandler(), context.getClass()]);
    if (!user || skip) return next.handle();
    return from(this.run(user.clinicId, next));
  }

  private async run(clinicId: string, next: CallHandler): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await runAsClinic(this.dataSource, clinicId, () => lastValueFrom(next.handle(), { defaultValue: undefined }));
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !isSerializationFailure(err)) throw err;
      }
    }
  }
}
