import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('visits')
export class Visit {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'clinic_id' })
  clinicId: string;

  @Column('uuid', { name: 'patient_id' })
  patientId: string;

  @Column('date', { name: 'visit_date' })
  visitDate: string;

  @Column('uuid', { name: 'created_by' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
