import type { Alert } from './alert.entity';
import type { AlertDetailDto, AlertDto } from './dto/alert.dto';

/** What a list shows of an alert: everything but its evidence history (and the date a decision refers to). */
export type ListedAlert = Omit<Alert, 'evidenceHistory' | 'referenceDate'>;

export function toAlertDto(a: ListedAlert): AlertDto {
  return {
    id: a.id,
    patientId: a.patientId,
    depositId: a.depositId,
    rule: a.rule,
    severity: a.severity,
    status: a.status,
    message: a.message,
    evidence: a.evidence,
    suggestedAction: a.suggestedAction,
    settingsVersion: a.settingsVersion,
    version: a.version,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    acknowledgedBy: a.acknowledgedBy,
    acknowledgedAt: a.acknowledgedAt,
    decision: a.decision,
    note: a.note,
    resolvedBy: a.resolvedBy,
    resolvedAt: a.resolvedAt,
  };
}

/** `names`: the names of the users who acknowledged and resolved it, by id. */
export function toAlertDetailDto(a: Alert, names: ReadonlyMap<string, string>): AlertDetailDto {
  return {
    ...toAlertDto(a),
    evidenceHistory: a.evidenceHistory,
    acknowledgedByName: a.acknowledgedBy ? (names.get(a.acknowledgedBy) ?? null) : null,
    resolvedByName: a.resolvedBy ? (names.get(a.resolvedBy) ?? null) : null,
  };
}
