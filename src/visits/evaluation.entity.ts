import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const METHODS = ['palpation', 'caliper', 'ultrasound', 'xray', 'ct', 'mri', 'photo'] as const;
export const SHAPES = ['round', 'oval', 'irregular', 'lobulated', 'linear', 'sheet'] as const;
export const MARGINS = ['well-defined', 'ill-defined'] as const;
export const MOBILITIES = ['fixed', 'mobile'] as const;
export const DRAINAGES = ['none', 'chalky', 'milky', 'purulent', 'serous'] as const;

export type Method = (typeof METHODS)[number];
export type Shape = (typeof SHAPES)[number];
export type Margin = (typeof MARGINS)[number];
export type Mobility = (typeof MOBILITIES)[number];
export type Drainage = (typeof DRAINAGES)[number];

/** The measured part of an evaluation: what a version holds and what an amendment may change. */
export interface Measurement {
  method: Method;
  longestDiameterMm: number;
  perpendicularDiameterMm: number | null;
  depthMm: number | null;
  shape: Shape | null;
  margin: Margin | null;
  landmark: string | null;
  xMm: number | null;
  yMm: number | null;
  mobility: Mobility | null;
  ulcerated: boolean;
  infectionSigns: boolean;
  inflammation: boolean;
  nerveCompression: boolean;
  drainage: Drainage;
  painScore: number | null;
  notes: string | null;
}

/**
 * One measurement of one deposit at one visit, as of its latest version. Every version, the first
 * included, is also kept whole in `evaluation_versions`; this row is never the only copy.
 */
@Entity('evaluations')
export class Evaluation implements Measurement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** with `id`, the primary key: `clinic_id` is the shard key (docs/scaling.md) */
  @PrimaryColumn('uuid', { name: 'clinic_id' })
  clinicId: string;

  @Column('uuid', { name: 'patient_id' })
  patientId: string;

  @Column('uuid', { name: 'deposit_id' })
  depositId: string;

  @Column('uuid', { name: 'visit_id' })
  visitId: string;

  @Column('date', { name: 'visit_date' })
  visitDate: string;

  /** Insertion order (ties of created_at within one transaction are common). */
  @Column({ type: 'bigint', insert: false, update: false })
  seq: string;

  @Column('int', { default: 1 })
  version: number;

  @Column('text')
  method: Method;

  @Column('double precision', { name: 'longest_diameter_mm' })
  longestDiameterMm: number;

  @Column('double precision', { name: 'perpendicular_diameter_mm', nullable: true })
  perpendicularDiameterMm: number | null;

  @Column('double precision', { name: 'depth_mm', nullable: true })
  depthMm: number | null;

  @Column('text', { nullable: true })
  shape: Shape | null;

  @Column('text', { nullable: true })
  margin: Margin | null;

  @Column('text', { nullable: true })
  landmark: string | null;

  @Column('double precision', { name: 'x_mm', nullable: true })
  xMm: number | null;

  @Column('double precision', { name: 'y_mm', nullable: true })
  yMm: number | null;

  @Column('text', { nullable: true })
  mobility: Mobility | null;

  @Column('boolean', { default: false })
  ulcerated: boolean;

  @Column('boolean', { name: 'infection_signs', default: false })
  infectionSigns: boolean;

  @Column('boolean', { default: false })
  inflammation: boolean;

  @Column('boolean', { name: 'nerve_compression', default: false })
  nerveCompression: boolean;

  @Column('text', { default: 'none' })
  drainage: Drainage;

  @Column('smallint', { name: 'pain_score', nullable: true })
  painScore: number | null;

  @Column('text', { nullable: true })
  notes: string | null;

  @Column('uuid', { name: 'recorded_by' })
  recordedBy: string;

  @Column('timestamptz', { name: 'recorded_at', default: () => 'now()' })
  recordedAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
