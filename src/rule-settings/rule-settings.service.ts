import { Db } from '../database/db';
import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { DEFAULT_RULE_SETTINGS, validateRuleSettings, type RuleSettings } from '../change-detection/rule-settings';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { assertVersion } from '../common/http/etag';
import { decodeCursor, DEFAULT_PAGE_SIZE, type Page, type PageQueryDto, toPage } from '../common/http/pagination';
import type { RuleSettingsDto, UpdateRuleSettingsDto } from './dto/rule-settings.dto';
import { RuleSettingsVersion } from './rule-settings-version.entity';

export const RULE_SETTING_KEYS = Object.keys(DEFAULT_RULE_SETTINGS) as (keyof RuleSettings)[];

export interface StoredVersion {
  version: number;
  settings: RuleSettings;
  /** null only for a clinic without any stored version (it runs on the defaults, version 1) */
  createdAt: Date | null;
  createdBy: string | null;
}

/** The clinic's latest version, completed with the defaults (settings of an older release lack newer keys). */
export async function latestVersion(manager: EntityManager, clinicId: string): Promise<StoredVersion> {
  const row = await manager.getRepository(RuleSettingsVersion).findOne({ where: { clinicId }, order: { version: 'DESC' } });
  if (!row) return { version: 1, settings: { ...DEFAULT_RULE_SETTINGS }, createdAt: null, createdBy: null };
  return { ...row, settings: { ...DEFAULT_RULE_SETTINGS, ...row.settings } };
}

export function toRuleSettingsDto(v: StoredVersion): RuleSettingsDto {
  const settings = {} as RuleSettings;
  for (const key of RULE_SETTING_KEYS) Object.assign(settings, { [key]: v.settings[key] });
  return { version: v.version, settings, createdAt: v.createdAt, createdBy: v.createdBy };
}

/** Only the keys the PUT named (a DTO instance may carry the others as undefined). */
export function changesOf(dto: UpdateRuleSettingsDto): Partial<RuleSettings> {
  const changes: Partial<RuleSettings> = {};
  for (const key of RULE_SETTING_KEYS) {
    if (dto[key] !== undefined) Object.assign(changes, { [key]: dto[key] });
  }
  return changes;
}

/** A 400 naming each field of a settings object that is out of range or contradicts another. */
export function assertValid(settings: RuleSettings): void {
  const problems = validateRuleSettings(settings);
  if (!problems.length) return;
  const details = problems.map((p) => ({ field: p.field, messages: [p.message.startsWith(`${p.field} `) ? p.message.slice(p.field.length + 1) : p.message] }));
  throw new DomainError(ErrorCode.Validation, problems.map((p) => p.message).join('; '), details);
}

@Injectable()
export class RuleSettingsService {
  constructor(private readonly db: Db) {}

  async current(actor: AuthUser): Promise<RuleSettingsDto> {
    return toRuleSettingsDto(await latestVersion(this.db.manager, actor.clinicId));
  }

  /** Every stored version, newest first (a clinic that never changed its settings has version 1, the defaults). */
  async versions(actor: AuthUser, query: PageQueryDto): Promise<Page<RuleSettingsDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, ['int']);
    const qb = this.db
      .getRepository(RuleSettingsVersion)
      .createQueryBuilder('v')
      .where('v.clinic_id = :clinicId', { clinicId: actor.clinicId })
      .orderBy('v.version', 'DESC')
      .limit(limit + 1);
    if (after) qb.andWhere('v.version < :version', { version: Number(after[0]) });
    const rows = await qb.getMany();
    if (!rows.length && !after) return { items: [toRuleSettingsDto(await latestVersion(this.db.manager, actor.clinicId))], nextCursor: null };
    return toPage(rows, limit, (r) => [r.version], (r) => toRuleSettingsDto({ ...r, settings: { ...DEFAULT_RULE_SETTINGS, ...r.settings } }));
  }

  /**
   * A change is a new version (current + 1), never an edit: alerts keep pointing at the version
   * that raised them. A PUT that changes nothing stores nothing and answers the current version.
   */
  async update(actor: AuthUser, dto: UpdateRuleSettingsDto, ifMatchVersion?: number): Promise<RuleSettingsDto> {
    const changes = changesOf(dto);
    return this.db.transaction(async (manager) => {
      // Concurrent PUTs of one clinic take turns here, so no two compute the same next version.
      // NO KEY UPDATE, not UPDATE: inserts that reference the clinic (foreign-key checks) are not blocked.
      await manager.query('SELECT 1 FROM clinics WHERE clinic_id = $1 FOR NO KEY UPDATE', [actor.clinicId]);
      const current = await latestVersion(manager, actor.clinicId);
      assertVersion(current.version, ifMatchVersion, 'rule settings');
      const next: RuleSettings = { ...current.settings, ...changes };
      assertValid(next);
      if (RULE_SETTING_KEYS.every((key) => next[key] === current.settings[key])) return toRuleSettingsDto(current);

      const repo = manager.getRepository(RuleSettingsVersion);
      const saved = await repo.save(repo.create({ clinicId: actor.clinicId, version: current.version + 1, settings: next, createdBy: actor.id }));
      return toRuleSettingsDto(saved);
    });
  }
}
