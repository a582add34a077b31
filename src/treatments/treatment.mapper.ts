import { tierOfKind } from '../change-detection/tiers';
import type { TreatmentDto } from './dto/treatment.dto';
import type { Treatment } from './treatment.entity';

export function toTreatmentDto(t: Treatment): TreatmentDto {
  return {
    id: t.id,
    patientId: t.patientId,
    depositId: t.depositId,
    kind: t.kind,
    tier: tierOfKind(t.kind),
    startedOn: t.startedOn,
    endedOn: t.endedOn,
    dose: t.dose,
    route: t.route,
    outcome: t.outcome,
    version: t.version,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}
