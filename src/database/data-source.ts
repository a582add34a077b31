import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { InitialSchema1764130000000 } from '../../migrations/1764130000000-initial-schema';
import { AlertsAndRuleSettings1764140000000 } from '../../migrations/1764140000000-alerts-and-rule-settings';
import { RowLevelSecurity1764150000000 } from '../../migrations/1764150000000-row-level-security';
import { AuditTrail1764160000000 } from '../../migrations/1764160000000-audit-trail';
import { Sessions1764170000000 } from '../../migrations/1764170000000-sessions';
import { IdempotencyKeys1764180000000 } from '../../migrations/1764180000000-idempotency-keys';
import { ReadingConfirmationSettings1764190000000 } from '../../migrations/1764190000000-reading-confirmation-settings';
import { CitusReadyKeys1764210000000 } from '../../migrations/1764210000000-citus-ready-keys';
import { RateLimitCounters1764210000001 } from '../../migrations/1764210000001-rate-limit-counters';
import { Notifications1764230000000 } from '../../migrations/1764230000000-notifications';
import { OverdueReviewIndex1764240000000 } from '../../migrations/1764240000000-overdue-review-index';
import { Alert } from '../alerts/alert.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { Session } from '../auth/session.entity';
import { RuleSettingsVersion } from '../rule-settings/rule-settings-version.entity';
import { Clinic } from '../clinics/clinic.entity';
import { Deposit } from '../deposits/deposit.entity';
import { LabResult } from '../labs/lab-result.entity';
import { Patient } from '../patients/patient.entity';
import { Treatment } from '../treatments/treatment.entity';
import { User } from '../users/user.entity';
import { EvaluationVersion } from '../visits/evaluation-version.entity';
import { Evaluation } from '../visits/evaluation.entity';
import { Visit } from '../visits/visit.entity';
import { ADVISORY_LOCK } from './advisory-locks';

// Calendar dates stay 'YYYY-MM-DD' strings: a JS Date would shift them by the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export const ENTITIES = [Clinic, User, Patient, Deposit, Visit, Evaluation, EvaluationVersion, LabResult, Treatment, RuleSettingsVersion, Alert, AuditEvent, Session];
export const MIGRATIONS = [InitialSchema1764130000000, AlertsAndRuleSettings1764140000000, RowLevelSecurity1764150000000, AuditTrail1764160000000, Sessions1764170000000, IdempotencyKeys1764180000000, ReadingConfirmationSettings1764190000000, CitusReadyKeys1764210000000, RateLimitCounters1764210000001, Notifications1764230000000, OverdueReviewIndex1764240000000];

export interface DatabaseOptions {
  url: string;
  statementTimeoutMs?: number;
  poolSize?: number;
  /** Operator and test-fixture sessions that work across clinics (never the application's). */
  bypassRowLevelSecurity?: boolean;
}

export function dataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    uuidExtension: 'pgcrypto',
    extra: {
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
      statement_timeout: options.statementTimeoutMs ?? 30000,
      idle_in_transaction_session_timeout: 60000,
      application_name: 'calcitrack',
      ...(options.bypassRowLevelSecurity ? { options: '-c app.rls_bypass=on' } : {}),
    },
  };
}

export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource(dataSourceOptions(options));
}

/** Applies pending migrations. An advisory lock lets several instances start at once. */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK.migrations]);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK.migrations]);
    }
  } finally {
    await runner.release();
  }
}
