import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AlertDto } from './dto/alert.dto';

/** What changed in a patient's record, inside the transaction that changed it. */
export interface ClinicalChange {
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

/**
 * The seam where change detection runs: called inside the transaction that stores a visit, an
 * amendment or a lab result, so nothing is stored without its alerts. Returns the alerts raised or
 * updated. (Change detection itself is the next piece of work: until then it raises nothing.)
 */
@Injectable()
export class AlertRunner {
  async afterChange(_manager: EntityManager, _change: ClinicalChange): Promise<AlertDto[]> {
    return [];
  }
}
