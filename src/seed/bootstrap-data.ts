import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { provisionFirstClinic } from '../clinics/clinic-provisioning';
import type { AppConfig } from '../config/app-config';
import { DEMO_USERS, seedDemo } from './demo-seed';

/**
 * First start only. On the bundled database: the demo clinic. On DATABASE_URL: never demo data;
 * the first clinic and admin from BOOTSTRAP_* when the database has no clinic yet. Both are safe
 * with several instances starting at once: each checks and writes under the start-up data lock.
 */
export async function bootstrapData(app: INestApplication, config: AppConfig, opts: { demo: boolean; log: (line: string) => void }): Promise<{ demoUsers: string[] | null }> {
  const db = app.get<DataSource>(getDataSourceToken());
  if (opts.demo) {
    const seeded = await seedDemo(app);
    if (seeded) opts.log('seeded the demo clinic');
    return { demoUsers: DEMO_USERS };
  }
  if (!config.bootstrap) return { demoUsers: null };
  const created = await provisionFirstClinic(db, {
    name: config.bootstrap.clinicName,
    adminEmail: config.bootstrap.adminEmail,
    adminPassword: config.bootstrap.adminPassword,
  });
  if (created) opts.log(`created the first clinic ${created.clinicId} and its admin from BOOTSTRAP_*`);
  return { demoUsers: null };
}
