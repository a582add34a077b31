import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Alert } from '../alerts/alert.entity';
import { Deposit } from '../deposits/deposit.entity';
import { LabResult } from '../labs/lab-result.entity';
import { findPatientOrFail } from '../patients/patient-lookup';
import type { Patient } from '../patients/patient.entity';
import { Treatment } from '../treatments/treatment.entity';
import { User } from '../users/user.entity';
import { EvaluationVersion } from '../visits/evaluation-version.entity';
import { Evaluation } from '../visits/evaluation.entity';
import { Visit } from '../visits/visit.entity';

/** Every row of one patient that a report shows, each list in the order the report shows it. */
export interface PatientRecords {
  patient: Patient;
  deposits: Deposit[];
  /** latest version of each evaluation, oldest visit first */
  evaluations: Evaluation[];
  /** every version of the evaluations that were amended */
  versions: EvaluationVersion[];
  visits: Visit[];
  labs: LabResult[];
  treatments: Treatment[];
  alerts: Alert[];
  /** names of the users who decided on an alert, by id */
  userNames: Map<string, string>;
}

@Injectable()
export class PatientReportLoader {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Reads in one REPEATABLE READ transaction, so a visit stored meanwhile is either wholly in the
   * report or not at all. Another clinic's patient is "not found", exactly like a missing one.
   */
  async load(clinicId: string, patientId: string): Promise<PatientRecords> {
    return this.db.transaction('REPEATABLE READ', async (manager) => {
      const patient = await findPatientOrFail(manager, clinicId, patientId);
      const where = { clinicId, patientId };
      const [deposits, evaluations, visits, labs, treatments, alerts] = await Promise.all([
        manager.getRepository(Deposit).find({ where, order: { seq: 'ASC' } }),
        manager.getRepository(Evaluation).find({ where, order: { visitDate: 'ASC', seq: 'ASC' } }),
        manager.getRepository(Visit).find({ where, order: { visitDate: 'ASC', createdAt: 'ASC', id: 'ASC' } }),
        manager.getRepository(LabResult).find({ where, order: { collectedOn: 'ASC', createdAt: 'ASC', id: 'ASC' } }),
        manager.getRepository(Treatment).find({ where, order: { startedOn: 'ASC', createdAt: 'ASC', id: 'ASC' } }),
        manager.getRepository(Alert).find({ where, order: { createdAt: 'ASC', id: 'ASC' } }),
      ]);
      const amendedIds = evaluations.filter((e) => e.version > 1).map((e) => e.id);
      const deciderIds = [...new Set(alerts.map((a) => a.resolvedBy).filter((id): id is string => id !== null))];
      const [versions, users] = await Promise.all([
        amendedIds.length
          ? manager.getRepository(EvaluationVersion).find({ where: { clinicId, evaluationId: In(amendedIds) }, order: { version: 'ASC' } })
          : Promise.resolve([]),
        deciderIds.length
          ? manager.getRepository(User).find({ where: { clinicId, id: In(deciderIds) }, select: { id: true, name: true } })
          : Promise.resolve([]),
      ]);
      return { patient, deposits, evaluations, versions, visits, labs, treatments, alerts, userNames: new Map(users.map((u) => [u.id, u.name])) };
    });
  }
}
