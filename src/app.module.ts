import { type DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AlertsModule } from './alerts/alerts.module';
import { OverdueReviewModule } from './alerts/overdue-review.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source';
import { DatabaseModule } from './database/database.module';
import { RequestTransactionInterceptor } from './database/request-transaction.interceptor';
import { DepositsModule } from './deposits/deposits.module';
import { ExportsModule } from './exports/exports.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { LabsModule } from './labs/labs.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PatientsModule } from './patients/patients.module';
import { ReportsModule } from './reports/reports.module';
import { RuleSettingsModule } from './rule-settings/rule-settings.module';
import { TreatmentsModule } from './treatments/treatments.module';
import { UsersModule } from './users/users.module';
import { VisitsModule } from './visits/visits.module';
import { WebhooksModule } from './webhooks/webhooks.module';

export interface AppModuleOptions {
  config: AppConfig;
  /** The database actually used: DATABASE_URL, or the bundled server's URL. */
  databaseUrl: string;
}

@Module({})
export class AppModule {
  static forRoot({ config, databaseUrl }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot(dataSourceOptions({ url: databaseUrl, statementTimeoutMs: config.dbStatementTimeoutMs })),
        DatabaseModule,
        JobsModule.forRoot(databaseUrl),
        AuthModule,
        AuditModule,
        HealthModule,
        UsersModule,
        PatientsModule,
        DepositsModule,
        VisitsModule,
        LabsModule,
        TreatmentsModule,
        AlertsModule,
        RuleSettingsModule,
        OverdueReviewModule,
        NotificationsModule,
        WebhooksModule,
        ReportsModule,
        ExportsModule,
      ],
      providers: [{ provide: APP_INTERCEPTOR, useClass: RequestTransactionInterceptor }],
    };
  }
}
