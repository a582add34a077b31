import { In, type EntityManager } from 'typeorm';
import { updatedSeverity, writeOutcomeOf, type WriteOutcome } from '../change-detection/alert-dedup';
import type { Finding } from '../change-detection/types';
import { recordAlertEvent } from '../notifications/notification-outbox';
import { Alert, SEVERITY_RANK } from './alert.entity';

export type { WriteOutcome } from '../change-detection/alert-dedup';

/**
 * Stores a finding as an alert: at most one unresolved alert per (patient, deposit, rule), which
 * the database enforces. New evidence updates it, keeping the old evidence, and may raise (never
 * lower) its severity. The caller holds the patient's row lock, so this never races itself.
 * A new alert, and one whose severity rose, get their notification in the same transaction.
 */
export async function writeFinding(
  manager: EntityManager,
  ids: { clinicId: string; patientId: string },
  finding: Finding,
  settingsVersion: number,
): Promise<{ alert: Alert; outcome: WriteOutcome }> {
  const repo = manager.getRepository(Alert);
  const existing = await repo
    .createQueryBuilder('a')
    .setLock('pessimistic_write')
    .where('a.clinic_id = :clinicId AND a.patient_id = :patientId AND a.rule = :rule AND a.status <> :resolved', {
      ...ids,
      rule: finding.rule,
      resolved: 'resolved',
    })
    .andWhere(finding.depositId === null ? 'a.deposit_id IS NULL' : 'a.deposit_id = :depositId', { depositId: finding.depositId })
    .getOne();

  if (!existing) {
    const alert = await repo.save(
      repo.create({
        ...ids,
        depositId: finding.depositId,
        rule: finding.rule,
        severity: finding.severity,
        severityRank: SEVERITY_RANK[finding.severity],
        status: 'open',
        message: finding.message,
        evidence: finding.evidence,
        evidenceHistory: [],
        suggestedAction: finding.suggestedAction,
        settingsVersion,
      }),
    );
    await recordAlertEvent(manager, alert, 'alert.raised');
    return { alert, outcome: 'raised' };
  }

  const outcome: WriteOutcome = writeOutcomeOf(existing, finding);
  if (outcome === 'unchanged') return { alert: existing, outcome };
  const previousSeverity = existing.severity;
  const severity = updatedSeverity(existing.severity, finding.severity);
  const escalated = severity !== previousSeverity;
  existing.evidenceHistory = [
    ...existing.evidenceHistory,
    { at: new Date().toISOString(), severity: existing.severity, message: existing.message, evidence: existing.evidence, settingsVersion: existing.settingsVersion },
  ];
  Object.assign(existing, {
    severity,
    severityRank: SEVERITY_RANK[severity],
    message: finding.message,
    evidence: finding.evidence,
    suggestedAction: finding.suggestedAction,
    settingsVersion,
    version: existing.version + 1,
  });
  const saved = await repo.save(existing);
  if (escalated) await recordAlertEvent(manager, saved, 'alert.escalated', previousSeverity);
  return { alert: saved, outcome: 'updated' };
}

/**
 * The open OVERDUE_REVIEW alerts of some deposits, locked (`FOR UPDATE`) until the transaction ends:
 * `clinic` and `deposits` are the statement's placeholders for them, `when` one more condition.
 * The rules' read sends it for a visit's deposits (src/alerts/clinical-history.loader.ts);
 * alerts_overdue_review_idx finds them.
 */
export const lockOverdueReviews = (clinic: string, deposits: string, when = 'true') =>
  `SELECT id FROM alerts WHERE ${when} AND clinic_id = ${clinic} AND deposit_id = ANY(${deposits}::uuid[]) AND rule = 'OVERDUE_REVIEW' AND status <> 'resolved' FOR UPDATE`;

/**
 * OVERDUE_REVIEW is the one alert the system resolves itself: when the deposit is evaluated again
 * (and says so). `lockedIds`: the deposits' open ones, already locked by the rules' read.
 */
export async function resolveOverdueReviews(manager: EntityManager, clinicId: string, lockedIds: string[], evaluatedOn: string): Promise<Alert[]> {
  if (!lockedIds.length) return [];
  const repo = manager.getRepository(Alert);
  const due = await repo.find({ where: { clinicId, id: In(lockedIds) } });
  for (const alert of due) {
    Object.assign(alert, {
      status: 'resolved',
      resolvedAt: new Date(),
      note: `resolved by the system: the deposit was evaluated on ${evaluatedOn}`,
      referenceDate: evaluatedOn,
      version: alert.version + 1,
    });
  }
  if (!due.length) return [];
  const saved = await repo.save(due);
  for (const alert of saved) await recordAlertEvent(manager, alert, 'alert.resolved');
  return saved;
}
