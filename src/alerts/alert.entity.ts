import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { RuleCode, Severity, SuggestedAction } from '../change-detection/types';
import type { AlertStatus, Decision } from './dto/alert.dto';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, high: 2, urgent: 3 };

/** An earlier state of an alert's evidence, kept when new evidence updates it. */
export interface EvidenceRecord {
  at: string;
  severity: Severity;
  message: string;
  evidence: Record<string, unknown>;
  settingsVersion: number;
}

@Entity('alerts')
export class Alert {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** with `id`, the primary key: `clinic_id` is the shard key (docs/scaling.md) */
  @PrimaryColumn('uuid', { name: 'clinic_id' })
  clinicId: string;

  @Column('uuid', { name: 'patient_id' })
  patientId: string;

  @Column('uuid', { name: 'deposit_id', nullable: true })
  depositId: string | null;

  @Column('text')
  rule: RuleCode;

  @Column('text')
  severity: Severity;

  @Column('smallint', { name: 'severity_rank' })
  severityRank: number;

  @Column('text', { default: 'open' })
  status: AlertStatus;

  @Column('text')
  message: string;

  @Column('jsonb')
  evidence: Record<string, unknown>;

  @Column('jsonb', { name: 'evidence_history', default: () => "'[]'" })
  evidenceHistory: EvidenceRecord[];

  @Column('jsonb', { name: 'suggested_action' })
  suggestedAction: SuggestedAction;

  @Column('int', { name: 'settings_version' })
  settingsVersion: number;

  @Column('int', { default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column('uuid', { name: 'acknowledged_by', nullable: true })
  acknowledgedBy: string | null;

  @Column('timestamptz', { name: 'acknowledged_at', nullable: true })
  acknowledgedAt: Date | null;

  @Column('text', { nullable: true })
  decision: Decision | null;

  @Column('text', { nullable: true })
  note: string | null;

  @Column('uuid', { name: 'resolved_by', nullable: true })
  resolvedBy: string | null;

  @Column('timestamptz', { name: 'resolved_at', nullable: true })
  resolvedAt: Date | null;

  /** The date of the record current when the physician decided: the rule fires again only on evidence after it. */
  @Column('date', { name: 'reference_date', nullable: true })
  referenceDate: string | null;
}
