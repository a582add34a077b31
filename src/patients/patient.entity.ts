import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export const CONDITIONS = [
  'systemic-sclerosis-limited',
  'systemic-sclerosis-diffuse',
  'dermatomyositis',
  'juvenile-dermatomyositis',
  'lupus',
  'overlap',
  'chronic-kidney-disease',
  'hyperparathyroidism',
  'other',
] as const;
export const CALCINOSIS_TYPES = ['dystrophic', 'metastatic', 'idiopathic', 'iatrogenic', 'calciphylaxis', 'unknown'] as const;

export type Sex = (typeof SEXES)[number];
export type Condition = (typeof CONDITIONS)[number];
export type CalcinosisType = (typeof CALCINOSIS_TYPES)[number];

@Entity('patients')
export class Patient {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** with `id`, the primary key: `clinic_id` is the shard key (docs/scaling.md) */
  @PrimaryColumn('uuid', { name: 'clinic_id' })
  clinicId: string;

  @Column('text')
  mrn: string;

  @Column('text')
  name: string;

  @Column('date', { name: 'birth_date' })
  birthDate: string;

  @Column('text')
  sex: Sex;

  @Column('text', { array: true, default: () => "'{}'" })
  conditions: Condition[];

  @Column('text', { name: 'calcinosis_type', default: 'unknown' })
  calcinosisType: CalcinosisType;

  @Column('boolean', { name: 'family_history', default: false })
  familyHistory: boolean;

  @Column('uuid', { name: 'responsible_physician_id', nullable: true })
  responsiblePhysicianId: string | null;

  @Column('int', { default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
