import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** Values are stored in conventional units; `entered` keeps what was typed, with its unit. */
@Entity('lab_results')
export class LabResult {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** with `id`, the primary key: `clinic_id` is the shard key (docs/scaling.md) */
  @PrimaryColumn('uuid', { name: 'clinic_id' })
  clinicId: string;

  @Column('uuid', { name: 'patient_id' })
  patientId: string;

  @Column('uuid', { name: 'visit_id', nullable: true })
  visitId: string | null;

  @Column('date', { name: 'collected_on' })
  collectedOn: string;

  @Column('double precision', { name: 'calcium_mg_dl', nullable: true })
  calciumMgDl: number | null;

  @Column('double precision', { name: 'albumin_g_dl', nullable: true })
  albuminGDl: number | null;

  @Column('double precision', { name: 'phosphate_mg_dl', nullable: true })
  phosphateMgDl: number | null;

  @Column('double precision', { name: 'pth_pg_ml', nullable: true })
  pthPgMl: number | null;

  @Column('double precision', { name: 'vitamin_d_ng_ml', nullable: true })
  vitaminDNgMl: number | null;

  @Column('double precision', { name: 'egfr_ml_min', nullable: true })
  egfrMlMin: number | null;

  @Column('double precision', { name: 'corrected_calcium_mg_dl', nullable: true })
  correctedCalciumMgDl: number | null;

  @Column('double precision', { name: 'calcium_phosphate_product', nullable: true })
  calciumPhosphateProduct: number | null;

  @Column('jsonb', { default: () => "'{}'" })
  entered: Record<string, { value: number; unit: string }>;

  @Column('uuid', { name: 'created_by' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
