import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const AUDIT_OUTCOMES = ['success', 'denied', 'not-found', 'rejected', 'error'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Append-only; `seq`, `prev_hash`, `hash` and the time are set by the database when the row is inserted. */
@Entity('audit_events')
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** with `id`, the primary key: `clinic_id` is the shard key (docs/scaling.md) */
  @PrimaryColumn('uuid', { name: 'clinic_id' })
  clinicId: string;

  @Column({ type: 'bigint', insert: false, update: false })
  seq: string;

  @Column({ type: 'timestamptz', name: 'occurred_at', insert: false, update: false })
  occurredAt: Date;

  @Column('uuid', { name: 'actor_id', nullable: true })
  actorId: string | null;

  @Column('text', { name: 'actor_role', nullable: true })
  actorRole: string | null;

  @Column('uuid', { name: 'patient_id', nullable: true })
  patientId: string | null;

  @Column('text')
  action: string;

  @Column('text', { name: 'record_type', nullable: true })
  recordType: string | null;

  @Column('text', { name: 'record_id', nullable: true })
  recordId: string | null;

  @Column('text')
  outcome: AuditOutcome;

  @Column('smallint', { name: 'status_code', nullable: true })
  statusCode: number | null;

  @Column('text', { name: 'client_ip', nullable: true })
  clientIp: string | null;

  @Column('text', { name: 'request_id', nullable: true })
  requestId: string | null;

  @Column({ type: 'text', name: 'prev_hash', insert: false, update: false })
  prevHash: string;

  @Column({ type: 'text', insert: false, update: false })
  hash: string;
}
