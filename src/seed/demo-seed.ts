import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { provisionClinic } from '../clinics/clinic-provisioning';
import { createUser } from '../users/users.service';

export const DEMO_PASSWORD = 'calcitrack-demo';

/** The demo clinic, on the bundled database's first start. Returns false when it is already there. */
export async function seedDemo(app: INestApplication): Promise<boolean> {
  const db = app.get<DataSource>(getDataSourceToken());
  const existing: unknown[] = await db.query(`SELECT 1 FROM users WHERE email = 'admin@demo.local'`);
  if (existing.length) return false;
  const { clinicId } = await provisionClinic(db, {
    name: 'Demo Rheumatology Clinic',
    adminEmail: 'admin@demo.local',
    adminPassword: DEMO_PASSWORD,
    adminName: 'Demo Admin',
  });
  await createUser(db.manager, clinicId, { email: 'physician@demo.local', name: 'Dr. Demo Physician', role: 'physician', password: DEMO_PASSWORD, specialty: 'rheumatology' });
  await createUser(db.manager, clinicId, { email: 'staff@demo.local', name: 'Demo Staff', role: 'staff', password: DEMO_PASSWORD });
  return true;
}
