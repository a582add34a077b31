import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Measurement } from './evaluation.entity';

/** Append-only: every version of every evaluation, the original (version 1) included. */
@Entity('evaluation_versions')
export class EvaluationVersion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** with `id`, the primary key: `clinic_id` is the shard key (docs/scaling.md) */
  @PrimaryColumn('uuid', { name: 'clinic_id' })
  clinicId: string;

  @Column('uuid', { name: 'evaluation_id' })
  evaluationId: string;

  @Column('int')
  version: number;

  @Column('jsonb')
  data: Measurement;

  /** Why the evaluation was amended; null for the original measurement. */
  @Column('text', { nullable: true })
  reason: string | null;

  @Column('uuid', { name: 'recorded_by' })
  recordedBy: string;

  @Column('timestamptz', { name: 'recorded_at', default: () => 'now()' })
  recordedAt: Date;
}
