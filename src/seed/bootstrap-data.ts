import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { hasAnyClinic, provisionClinic } from '../clinics/clinic-provisioning';
import type { AppConfig } from '../config/app-config';
import { DEMO_PASSWORD, seedDemo } from './demo-seed';

/**
 * First start only. On the bundled database: the demo clinic. On DATABASE_URL: never demo data;
 * the first clinic and admin from BOOTSTRAP_* when the database has no clinic yet.
 */
export async function bootstrapData(app: INestApplication, config: AppConfig, opts: { demo: boolean; log: (line: string) => void }): Promise<void> {
  const db = app.get<DataSource>(getDataSourceToken());
  if (opts.demo) {
    const seeded = await seedDemo(app);
    if (seeded) opts.log('seeded the demo clinic');
    opts.log(`demo users: admin@demo.local, physician@demo.local, staff@demo.local — password "${DEMO_PASSWORD}"`);
    return;
  }
  if (config.bootstrap && !(await hasAnyClinic(db))) {
    const { clinicId } = await provisionClinic(db, {
      name: config.bootstrap.clinicName,
      adminEmail: config.bootstrap.adminEmail,
      adminPassword: config.bootstrap.adminPassword,
    });
    opts.log(`created the first clinic ${clinicId} and its admin from BOOTSTRAP_*`);
  }
}
