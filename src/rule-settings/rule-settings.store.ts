import type { EntityManager } from 'typeorm';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../change-detection/rule-settings';
import { RuleSettingsVersion } from './rule-settings-version.entity';

export interface CurrentRuleSettings {
  version: number;
  settings: RuleSettings;
}

/** The clinic's latest settings version (a clinic starts on version 1, the defaults). */
export async function currentRuleSettings(manager: EntityManager, clinicId: string): Promise<CurrentRuleSettings> {
  const row = await manager.getRepository(RuleSettingsVersion).findOne({ where: { clinicId }, order: { version: 'DESC' } });
  if (!row) return { version: 1, settings: { ...DEFAULT_RULE_SETTINGS } };
  // settings written by an older release lack newer keys: those take their defaults
  return { version: row.version, settings: { ...DEFAULT_RULE_SETTINGS, ...row.settings } };
}

/** Version 1 of a new clinic's settings: the defaults. */
export async function insertDefaultRuleSettings(manager: EntityManager, clinicId: string): Promise<void> {
  await manager.getRepository(RuleSettingsVersion).insert({ clinicId, version: 1, settings: { ...DEFAULT_RULE_SETTINGS }, createdBy: null });
}
