import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { detectChanges } from '../change-detection/detect-changes';
import { toAlertDto } from './alert.mapper';
import { resolveOverdueReviews, writeFinding } from './alert-writer';
import { loadClinicalContext } from './clinical-history.loader';
import type { AlertDto } from './dto/alert.dto';

/** What changed in a patient's record, inside the transaction that changed it. */
export interface ClinicalChange {
  kind: 'visit' | 'amendment' | 'lab';
  clinicId: string;
  patientId: string;
  actorId: string;
  /** visit date (or lab collection date) the rules look at */
  date: string;
  visitId: string | null;
  evaluatedDepositIds: string[];
  newDepositIds: string[];
  labResultId: string | null;
}

export function utcToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Change detection, run inside the transaction that stores a visit, an amendment or a lab result
 * (the caller holds the patient's row lock): nothing is stored without its alerts, and concurrent
 * changes to one patient are applied one after the other. Returns the alerts raised or updated.
 */
@Injectable()
export class AlertRunner {
  async afterChange(manager: EntityManager, change: ClinicalChange): Promise<AlertDto[]> {
    // one statement: the settings version, histories, treatments, lab, first visit, earlier decisions and (a visit) its deposits' overdue reviews, locked
    const { rules, deposits, treatments, lab, firstVisit, referenceCuts, overdueReviewIds } = await loadClinicalContext(manager, change);
    const { version, settings } = rules;
    const findings = detectChanges({
      visitDate: change.date,
      today: utcToday(),
      isFirstVisitOfPatient: firstVisit,
      deposits,
      evaluatedDepositIds: change.evaluatedDepositIds,
      treatments,
      lab,
      settings,
      settingsVersion: version,
      referenceCuts,
    });

    const touched: AlertDto[] = [];
    for (const finding of findings) {
      const { alert, outcome } = await writeFinding(manager, { clinicId: change.clinicId, patientId: change.patientId }, finding, version);
      if (outcome !== 'unchanged') touched.push(toAlertDto(alert));
    }
    const reviewed = change.kind === 'visit' ? await resolveOverdueReviews(manager, change.clinicId, overdueReviewIds, change.date) : [];
    return [...touched, ...reviewed.map(toAlertDto)];
  }
}
