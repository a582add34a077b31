import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Method } from '../visits/evaluation.entity';

export const SITES = [
  'head-neck', 'shoulder', 'upper-arm', 'elbow', 'forearm', 'wrist', 'hand', 'finger', 'trunk', 'buttock',
  'hip', 'thigh', 'knee', 'leg', 'ankle', 'foot', 'toe', 'visceral', 'other',
] as const;
export const LATERALITIES = ['left', 'right', 'bilateral', 'midline', 'not-applicable'] as const;
export const DEPTHS = ['cutaneous', 'subcutaneous', 'fascial', 'periarticular', 'tendon', 'muscle', 'visceral'] as const;
export const PATTERNS = ['plaque-nodule', 'tumoral', 'planar', 'exoskeleton'] as const;
export const DEPOSIT_STATUSES = ['active', 'resolved', 'excised'] as const;

export type Site = (typeof SITES)[number];
export type Laterality = (typeof LATERALITIES)[number];
export type Depth = (typeof DEPTHS)[number];
export type Pattern = (typeof PATTERNS)[number];
export type DepositStatus = (typeof DEPOSIT_STATUSES)[number];

@Entity('deposits')
export class Deposit {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** with `id`, the primary key: `clinic_id` is the shard key (docs/scaling.md) */
  @PrimaryColumn('uuid', { name: 'clinic_id' })
  clinicId: string;

  @Column('uuid', { name: 'patient_id' })
  patientId: string;

  @Column('text')
  label: string;

  @Column('text')
  site: Site;

  @Column('text', { name: 'site_detail', nullable: true })
  siteDetail: string | null;

  @Column('text')
  laterality: Laterality;

  @Column('text')
  depth: Depth;

  @Column('text', { nullable: true })
  pattern: Pattern | null;

  @Column('text', { name: 'detected_by' })
  detectedBy: Method;

  @Column('boolean', { name: 'prior_procedure_site', default: false })
  priorProcedureSite: boolean;

  @Column('date', { name: 'noted_on' })
  notedOn: string;

  @Column('text', { default: 'active' })
  status: DepositStatus;

  /** The visit at which the deposit was first recorded (null when registered outside a visit). */
  @Column('uuid', { name: 'first_visit_id', nullable: true })
  firstVisitId: string | null;

  /** Insertion order (ties of created_at within one transaction are common). */
  @Column({ type: 'bigint', insert: false, update: false })
  seq: string;

  @Column('int', { default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
