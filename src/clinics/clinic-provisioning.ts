import type { DataSource, EntityManager } from 'typeorm';
import { lockStartUpData } from '../database/advisory-locks';
import { setTransactionClinic } from '../database/tenant-context';
import { insertDefaultRuleSettings } from '../rule-settings/rule-settings.store';
import { createUser } from '../users/users.service';
import { Clinic } from './clinic.entity';

export interface ProvisionedClinic {
  clinicId: string;
  adminId: string;
}

export interface ClinicInput {
  name: string;
  adminEmail: string;
  adminPassword: string;
  adminName?: string;
}

/** A new tenant and its first admin, in one transaction (operator CLI, tests). */
export async function provisionClinic(db: DataSource, input: ClinicInput): Promise<ProvisionedClinic> {
  return db.transaction((manager) => provisionClinicIn(manager, input));
}

/** The same, in a transaction already open; it is left acting for the new clinic. */
export async function provisionClinicIn(manager: EntityManager, input: ClinicInput): Promise<ProvisionedClinic> {
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
}

/**
 * The first clinic of an empty database (BOOTSTRAP_*), or null when there is one already. Several
 * instances starting at once queue on the start-up lock, and the later ones find the clinic.
 */
export async function provisionFirstClinic(db: DataSource, input: ClinicInput): Promise<ProvisionedClinic | null> {
  return db.transaction(async (manager) => {
    await lockStartUpData(manager);
    const rows: unknown[] = await manager.query('SELECT 1 FROM clinics LIMIT 1');
    return rows.length ? null : provisionClinicIn(manager, input);
  });
}
