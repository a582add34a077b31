import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('treatments')
export class Treatment {
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
  kind: string;

  @Column('date', { name: 'started_on' })
  startedOn: string;

  @Column('date', { name: 'ended_on', nullable: true })
  endedOn: string | null;

  @Column('text', { nullable: true })
  dose: string | null;

  @Column('text', { nullable: true })
  route: string | null;

  @Column('text', { nullable: true })
  outcome: string | null;

  @Column('int', { default: 1 })
  version: number;

  @Column('uuid', { name: 'created_by' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
