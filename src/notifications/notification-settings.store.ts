import type { EntityManager } from 'typeorm';
import { DEFAULT_NOTIFICATION_SETTINGS, type NotificationSettings } from './notification-settings';

export interface StoredNotificationSettings {
  version: number;
  settings: NotificationSettings;
  /** null for a clinic that never changed them (version 1, the defaults) */
  createdAt: Date | null;
  createdBy: string | null;
}

/** The clinic's latest version, completed with the defaults; a clinic without any runs on version 1. */
export async function currentNotificationSettings(manager: EntityManager, clinicId: string): Promise<StoredNotificationSettings> {
  const [row]: { version: number; settings: Partial<NotificationSettings>; created_at: Date; created_by: string | null }[] = await manager.query(
    `SELECT version, settings, created_at, created_by FROM notification_settings WHERE clinic_id = $1 ORDER BY version DESC LIMIT 1`,
    [clinicId],
  );
  if (!row) return { version: 1, settings: { ...DEFAULT_NOTIFICATION_SETTINGS }, createdAt: null, createdBy: null };
  return { version: row.version, settings: { ...DEFAULT_NOTIFICATION_SETTINGS, ...row.settings }, createdAt: row.created_at, createdBy: row.created_by };
}
