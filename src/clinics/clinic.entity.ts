import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('clinics')
export class Clinic {
  /** A clinic's id is its own `clinic_id`: the tenant and shard key of every table. */
  @PrimaryGeneratedColumn('uuid', { name: 'clinic_id' })
  id: string;

  @Column('text')
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
