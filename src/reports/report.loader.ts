import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Alert } from '../alerts/alert.entity';
import { Db } from '../database/db';
import { Deposit } from '../deposits/deposit.entity';
import { LabResult } from '../labs/lab-result.entity';
import { findPatientOrFail } from '../patients/patient-lookup';
import type { Patient } from '../patients/patient.entity';
import { Treatment } from '../treatments/treatment.entity';
import { userNamesOf } from '../users/user-names';
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
  /** names of the users who decided on an alert or recorded a version of an amended evaluation, by id */
  userNames: Map<string, string>;
}

@Injectable()
export class PatientReportLoader {
  constructor(private readonly db: Db) {}

  /**
   * Reads through the request's transaction (its clinic set for row-level security), and always
   * filters on the clinic too: another clinic's patient is "not found", exactly like a missing one.
   */
  async load(clinicId: string, patientId: string): Promise<PatientRecords> {
    return this.db.transaction(async (manager) => {
      const patient = await findPatientOrFail(manager, clinicId, patientId);
      const where = { clinicId, patientId };
      // one after the other: they share the request's connection, which runs one query at a time
      const deposits = await manager.getRepository(Deposit).find({ where, order: { seq: 'ASC' } });
      const evaluations = await manager.getRepository(Evaluation).find({ where, order: { visitDate: 'ASC', seq: 'ASC' } });
      const visits = await manager.getRepository(Visit).find({ where, order: { visitDate: 'ASC', createdAt: 'ASC', id: 'ASC' } });
      const labs = await manager.getRepository(LabResult).find({ where, order: { collectedOn: 'ASC', createdAt: 'ASC', id: 'ASC' } });
      const treatments = await manager.getRepository(Treatment).find({ where, order: { startedOn: 'ASC', createdAt: 'ASC', id: 'ASC' } });
      const alerts = await manager.getRepository(Alert).find({ where, order: { createdAt: 'ASC', id: 'ASC' } });
      const amendedIds = evaluations.filter((e) => e.version > 1).map((e) => e.id);
      const versions = amendedIds.length
        ? await manager.getRepository(EvaluationVersion).find({ where: { clinicId, evaluationId: In(amendedIds) }, order: { evaluationId: 'ASC', version: 'ASC' } })
        : [];
      const deciderIds = alerts.map((a) => a.resolvedBy).filter((id): id is string => id !== null);
      const userNames = await userNamesOf(manager, clinicId, [...deciderIds, ...versions.map((v) => v.recordedBy)]);
      return { patient, deposits, evaluations, versions, visits, labs, treatments, alerts, userNames };
    });
  }
}
