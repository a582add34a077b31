import { describe, expect, it } from '@jest/globals';
import { alertMail, digestMail } from './mail-messages';

const URL = 'https://calcitrack.clinic.example';

describe('alert e-mails: severity, the rule in words, a link; nothing about the patient', () => {
  it.each([
    ['an urgent complication, to the responsible physician', { event: 'alert.raised', severity: 'urgent', rule: 'COMPLICATION', reason: 'responsible' }, /URGENT alert: a deposit shows a new complication/, /responsible physician/],
    ['a high growth alert, to every physician', { event: 'alert.raised', severity: 'high', rule: 'DEPOSIT_GROWTH', reason: 'clinic' }, /High alert: a calcium deposit has grown/, /no responsible physician/],
    ['an escalation', { event: 'alert.escalated', severity: 'high', rule: 'DEPOSIT_GROWTH', reason: 'responsible' }, /High alert/, /raised to High/],
  ] as const)('%s', (_, facts, subject, body) => {
    const mail = alertMail({ alertId: '5b0c3b8e-93a4-4b8e-8f55-0d2a5c1c9e11', ...facts }, URL);
    expect(mail.subject).toMatch(subject);
    expect(mail.text).toMatch(body);
    expect(mail.text).toContain(`${URL}/alerts/5b0c3b8e-93a4-4b8e-8f55-0d2a5c1c9e11`);
    expect(mail.text).toMatch(/no patient details/);
  });

  it('names an unknown rule by its code rather than failing', () => {
    expect(alertMail({ alertId: 'a', rule: 'SOMETHING_NEW', severity: 'high', event: 'alert.raised', reason: 'clinic' }, URL).subject).toContain('SOMETHING_NEW');
  });
});

describe('the daily digest', () => {
  it('lists each alert with its severity, rule, status, age and link', () => {
    const mail = digestMail(
      '2026-03-02',
      [
        { alertId: 'a1', rule: 'COMPLICATION', severity: 'urgent', status: 'open', ageDays: 0 },
        { alertId: 'a2', rule: 'NEW_DEPOSIT', severity: 'warning', status: 'acknowledged', ageDays: 1 },
        { alertId: 'a3', rule: 'OVERDUE_REVIEW', severity: 'info', status: 'open', ageDays: 12 },
      ],
      URL,
    );
    expect(mail.subject).toBe('[Calcitrack] Daily digest 2026-03-02: 3 unresolved alerts');
    expect(mail.text).toContain('- URGENT: a deposit shows a new complication');
    expect(mail.text).toContain('(open, raised today)');
    expect(mail.text).toContain('(acknowledged, waiting 1 day)');
    expect(mail.text).toContain('(open, waiting 12 days)');
    for (const id of ['a1', 'a2', 'a3']) expect(mail.text).toContain(`${URL}/alerts/${id}`);
  });

  it('counts the alerts it does not list', () => {
    const mail = digestMail('2026-03-02', [{ alertId: 'a1', rule: 'REGRESSION', severity: 'info', status: 'open', ageDays: 2 }], URL, 120);
    expect(mail.subject).toMatch(/: 121 unresolved alerts$/);
    expect(mail.text).toContain('- and 120 more in the inbox');
  });

  it('says "1 unresolved alert" for one', () => {
    expect(digestMail('2026-03-02', [{ alertId: 'a1', rule: 'REGRESSION', severity: 'info', status: 'open', ageDays: 2 }], URL).subject).toMatch(/: 1 unresolved alert$/);
  });
});
