import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { assertVersion } from '../common/http/etag';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Db } from '../database/db';
import type { NotificationPreferencesDto, NotificationSettingsDto, UpdateNotificationPreferencesDto, UpdateNotificationSettingsDto } from './dto/notification-settings.dto';
import { NOTIFICATION_SETTING_KEYS, type NotificationSettings } from './notification-settings';
import { currentNotificationSettings, type StoredNotificationSettings } from './notification-settings.store';

@Injectable()
export class NotificationSettingsService {
  constructor(
    private readonly db: Db,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async current(actor: AuthUser): Promise<NotificationSettingsDto> {
    return this.toDto(await currentNotificationSettings(this.db.manager, actor.clinicId));
  }

  /** A change is a new version (current + 1); a PUT that changes nothing stores nothing. */
  async update(actor: AuthUser, dto: UpdateNotificationSettingsDto, ifMatchVersion?: number): Promise<NotificationSettingsDto> {
    return this.db.transaction(async (manager) => {
      // concurrent PUTs of one clinic take turns here (NO KEY UPDATE: inserts referencing the clinic are not blocked)
      await manager.query('SELECT 1 FROM clinics WHERE clinic_id = $1 FOR NO KEY UPDATE', [actor.clinicId]);
      const current = await currentNotificationSettings(manager, actor.clinicId);
      assertVersion(current.version, ifMatchVersion, 'notification settings');
      const next: NotificationSettings = { ...current.settings };
      for (const key of NOTIFICATION_SETTING_KEYS) if (dto[key] !== undefined) Object.assign(next, { [key]: dto[key] });
      if (NOTIFICATION_SETTING_KEYS.every((key) => next[key] === current.settings[key])) return this.toDto(current);
      const [row]: { version: number; created_at: Date }[] = await manager.query(
        `INSERT INTO notification_settings (clinic_id, version, settings, created_by) VALUES ($1, $2, $3, $4) RETURNING version, created_at`,
        [actor.clinicId, current.version + 1, JSON.stringify(next), actor.id],
      );
      return this.toDto({ version: row.version, settings: next, createdAt: row.created_at, createdBy: actor.id });
    });
  }

  async preferences(actor: AuthUser): Promise<NotificationPreferencesDto> {
    const [row]: { daily_digest: boolean }[] = await this.db.query(
      `SELECT daily_digest FROM notification_preferences WHERE clinic_id = $1 AND user_id = $2`,
      [actor.clinicId, actor.id],
    );
    return { userId: actor.id, dailyDigest: row?.daily_digest ?? true };
  }

  async updatePreferences(actor: AuthUser, dto: UpdateNotificationPreferencesDto): Promise<NotificationPreferencesDto> {
    const [row]: { daily_digest: boolean }[] = await this.db.query(
      `INSERT INTO notification_preferences (clinic_id, user_id, daily_digest) VALUES ($1, $2, $3)
       ON CONFLICT (clinic_id, user_id) DO UPDATE SET daily_digest = EXCLUDED.daily_digest, updated_at = now()
       RETURNING daily_digest`,
      [actor.clinicId, actor.id, dto.dailyDigest],
    );
    return { userId: actor.id, dailyDigest: row.daily_digest };
  }

  private toDto(v: StoredNotificationSettings): NotificationSettingsDto {
    const settings = {} as NotificationSettings;
    for (const key of NOTIFICATION_SETTING_KEYS) Object.assign(settings, { [key]: v.settings[key] });
    return { version: v.version, settings, createdAt: v.createdAt, createdBy: v.createdBy, mailConfigured: this.config.notifications.smtpUrl !== null };
  }
}
