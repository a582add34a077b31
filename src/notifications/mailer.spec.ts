import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSmtpSink, type SmtpSink } from '../../test/support/smtp-sink';
import { loadConfig } from '../config/app-config';
import { Mailer } from './mailer';

describe('the mailer, against a real SMTP server', () => {
  let sink: SmtpSink;
  let mailer: Mailer;

  beforeAll(async () => {
    sink = await startSmtpSink();
    mailer = new Mailer(loadConfig({ DATABASE_URL: 'postgres://u:p@db/x', JWT_SECRET: 'x'.repeat(40), SMTP_URL: sink.url, MAIL_FROM: 'Calcitrack <calcitrack@clinic.example>' }));
  });
  afterAll(async () => {
    mailer.onApplicationShutdown();
    await sink.close();
  });

  it('sends a plain-text message with its stable Message-ID', async () => {
    await mailer.send({ to: 'dr.a@clinic.example', subject: 'Hello', text: 'Line one\nLine two\n', messageId: '<n1.u1@calcitrack>' });
    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0]).toMatchObject({ to: ['dr.a@clinic.example'], from: 'calcitrack@clinic.example', subject: 'Hello', messageId: '<n1.u1@calcitrack>' });
    expect(sink.messages[0].text).toContain('Line two');
  });

  it('surfaces a temporary refusal as an error (the caller retries)', async () => {
    sink.refuseNext(1);
    await expect(mailer.send({ to: 'dr.a@clinic.example', subject: 'Again', text: 'x', messageId: '<n2.u1@calcitrack>' })).rejects.toThrow(/451/);
  });

  it('says where mail goes without showing credentials, and that it is off without SMTP_URL', () => {
    const withCredentials = new Mailer(loadConfig({ DATABASE_URL: 'postgres://u:p@db/x', JWT_SECRET: 'x'.repeat(40), SMTP_URL: 'smtps://user:hunter2@mail.example:465', MAIL_FROM: 'a@b.example' }));
    expect(withCredentials.describe()).toBe('mail through smtps://mail.example:465 from a@b.example');
    const off = new Mailer(loadConfig({ DATABASE_URL: 'postgres://u:p@db/x', JWT_SECRET: 'x'.repeat(40) }));
    expect(off.enabled).toBe(false);
    expect(off.describe()).toBe('mail is off: SMTP_URL is not set');
  });
});
