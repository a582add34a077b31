import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { RuleSettings } from '../change-detection/rule-settings';

/** Append-only: a change of thresholds is a new version; alerts record the version that raised them. */
@Entity('rule_settings')
export class RuleSettingsVersion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** with `id`, the primary key: `clinic_id` is the shard key (docs/scaling.md) */
  @PrimaryColumn('uuid', { name: 'clinic_id' })
  clinicId: string;

  @Column('int')
  version: number;

  @Column('jsonb')
  settings: RuleSettings;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
