import type { Severity } from '../change-detection/types';
import { ruleInWords, SEVERITY_WORDS } from './rule-words';

/**
 * The e-mails, built from codes and ids only: severity, the rule in words and a link into the app.
 * Never a name, an MRN, a birth date, a measurement or an alert's message (it holds measurements).
 */
export interface MailContent {
  subject: string;
  text: string;
}

export interface AlertMailFacts {
  alertId: string;
  rule: string;
  severity: Severity;
  event: 'alert.raised' | 'alert.escalated';
  /** why this physician gets it */
  reason: 'responsible' | 'clinic';
}

export function alertLink(publicUrl: string, alertId: string): string {
  return `${publicUrl}/alerts/${alertId}`;
}

const FOOTER = 'This message carries no patient details: sign in to Calcitrack to see them.';

export function alertMail(facts: AlertMailFacts, publicUrl: string): MailContent {
  const severity = SEVERITY_WORDS[facts.severity];
  const rule = ruleInWords(facts.rule);
  const opening = facts.event === 'alert.escalated' ? `An alert was raised to ${severity}.` : `A new ${severity} alert needs your review.`;
  const reason =
    facts.reason === 'responsible'
      ? "You receive this as the patient's responsible physician."
      : 'You receive this as a physician of the clinic: the patient has no responsible physician.';
  return {
    subject: `[Calcitrack] ${severity} alert: ${rule}`,
    text: [opening, '', `Severity: ${severity}`, `What: ${rule} (${facts.rule})`, `Open the alert: ${alertLink(publicUrl, facts.alertId)}`, '', reason, FOOTER, ''].join('\n'),
  };
}

export interface DigestItem {
  alertId: string;
  rule: string;
  severity: Severity;
  status: 'open' | 'acknowledged';
  /** whole days since the alert was raised */
  ageDays: number;
}

/**
 * The daily digest of one physician: their unresolved alerts, most severe first (the caller sorts
 * and lists at most a page of them; `more` counts the rest).
 */
export function digestMail(day: string, items: readonly DigestItem[], publicUrl: string, more = 0): MailContent {
  const total = items.length + more;
  const count = `${total} unresolved alert${total === 1 ? '' : 's'}`;
  const lines = items.map((item) => {
    const age = item.ageDays === 0 ? 'raised today' : `waiting ${item.ageDays} day${item.ageDays === 1 ? '' : 's'}`;
    return `- ${SEVERITY_WORDS[item.severity]}: ${ruleInWords(item.rule)} (${item.status}, ${age})\n  ${alertLink(publicUrl, item.alertId)}`;
  });
  return {
    subject: `[Calcitrack] Daily digest ${day}: ${count}`,
    text: [
      `Your daily Calcitrack digest for ${day}: ${count} of your patients (and of patients without a responsible physician).`,
      '',
      ...lines,
      ...(more ? [`- and ${more} more in the inbox`] : []),
      '',
      `The inbox: ${publicUrl}/alerts`,
      FOOTER,
      'To stop this digest, turn it off in your notification preferences (PUT /api/v1/notification-preferences).',
      '',
    ].join('\n'),
  };
}
