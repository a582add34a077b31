import type { DataSource } from 'typeorm';
import { setTransactionClinic } from '../database/tenant-context';
import { insertDefaultRuleSettings } from '../rule-settings/rule-settings.store';
import { createUser } from '../users/users.service';
import { Clinic } from './clinic.entity';

export interface ProvisionedClinic {
  clinicId: string;
  adminId: string;
}

/** A new tenant and its first admin, in one transaction (operator CLI, start-up bootstrap, demo). */
export async function provisionClinic(
  db: DataSource,
  input: { name: string; adminEmail: string; adminPassword: string; adminName?: string },
): Promise<ProvisionedClinic> {
  return db.transaction(async (manager) => {
    const clinic = await manager.getRepository(Clinic).save(manager.getRepository(Clinic).create({ name: input.name }));
    await setTransactionClinic(manager, clinic.id);
    await insertDefaultRuleSettings(manager, clinic.id);
    const admin = await createUser(manager, clinic.id, {
      email: input.adminEmail,
      name: input.adminName ?? 'Clinic administrator',
      role: 'admin',
      password: input.adminPassword,
    });
    return { clinicId: clinic.id, adminId: admin.id };
  });
}

export async function hasAnyClinic(db: DataSource): Promise<boolean> {
  const rows: unknown[] = await db.query('SELECT 1 FROM clinics LIMIT 1');
  return rows.length > 0;
}
