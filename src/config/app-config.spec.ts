import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './app-config';

const BASE = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db', JWT_SECRET: 'config-test-secret-config-test-secret-01' };

describe('configuration from the environment', () => {
  it.each([
    ['json', 'json'],
    ['pretty', 'pretty'],
    [' pretty ', 'pretty'],
  ])('LOG_FORMAT=%j chooses %s', (value, format) => {
    expect(loadConfig({ ...BASE, LOG_FORMAT: value }).logFormat).toBe(format);
  });

  it('refuses another LOG_FORMAT, naming the variable and its values', () => {
    expect(() => loadConfig({ ...BASE, LOG_FORMAT: 'yaml' })).toThrow(new ConfigError('LOG_FORMAT must be one of json, pretty'));
  });

  it('without LOG_FORMAT the format follows whether stdout is a terminal', () => {
    expect(loadConfig(BASE).logFormat).toBe(process.stdout.isTTY ? 'pretty' : 'json');
  });

  it.each([
    [{}, 1000, 1000],
    [{ RATE_LIMIT_PER_MINUTE: '60' }, 60, 60],
    [{ RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '500' }, 60, 500],
  ])('rate limits %j: %d per user, %d per address', (env, perUser, perAddress) => {
    const config = loadConfig({ ...BASE, ...env });
    expect([config.rateLimitPerMinute, config.rateLimitPerAddressPerMinute]).toEqual([perUser, perAddress]);
  });

  it('refuses a per-address limit that is not a positive whole number', () => {
    expect(() => loadConfig({ ...BASE, RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0' })).toThrow(/RATE_LIMIT_PER_ADDRESS_PER_MINUTE/);
  });
});

const NOTIFY_BASE = { DATABASE_URL: 'postgres://u:p@db:5432/x', JWT_SECRET: 'x'.repeat(40) };
const load = (env: Record<string, string>) => loadConfig({ ...NOTIFY_BASE, ...env });

describe('notification settings in the environment', () => {
  it('defaults: mail off, links to localhost on PORT, digest at 07 UTC, retries from 30 s for at least 24 h', () => {
    const { notifications, backgroundJobs } = load({ PORT: '3113' });
    expect(backgroundJobs).toBe(true);
    expect(notifications).toMatchObject({ smtpUrl: null, mailFrom: null, publicUrl: 'http://localhost:3113', digestHour: 7 });
    expect(notifications.webhooks).toMatchObject({ retryBaseSeconds: 30, allowHosts: [] });
    expect(notifications.webhooks.giveUpAfterSeconds).toBeGreaterThanOrEqual(24 * 3600);
  });

  it('reads every variable', () => {
    const { notifications } = load({
      SMTP_URL: 'smtp://mailer:secret@mail.example:587',
      MAIL_FROM: 'Calcitrack <calcitrack@clinic.example>',
      PUBLIC_URL: 'https://calcitrack.clinic.example/',
      DIGEST_HOUR: '0',
      WEBHOOK_RETRY_BASE_SECONDS: '5',
      WEBHOOK_ALLOW_HOSTS: ' 127.0.0.1, EHR.lan ,[::1]',
    });
    expect(notifications).toMatchObject({
      smtpUrl: 'smtp://mailer:secret@mail.example:587',
      mailFrom: 'Calcitrack <calcitrack@clinic.example>',
      publicUrl: 'https://calcitrack.clinic.example',
      digestHour: 0,
    });
    expect(notifications.webhooks).toMatchObject({ retryBaseSeconds: 5, allowHosts: ['127.0.0.1', 'ehr.lan', '[::1]'] });
  });

  it.each([
    [{ SMTP_URL: 'http://mail.example' }, /SMTP_URL must start with smtp:\/\/ or smtps:\/\//],
    [{ SMTP_URL: 'not a url' }, /SMTP_URL must be a URL/],
    [{ SMTP_URL: 'smtp://mail.example:25' }, /MAIL_FROM is required when SMTP_URL is set/],
    [{ MAIL_FROM: 'nobody' }, /MAIL_FROM must be an address/],
    [{ PUBLIC_URL: 'calcitrack.example' }, /PUBLIC_URL must be an absolute/],
    [{ PUBLIC_URL: 'ftp://calcitrack.example' }, /PUBLIC_URL must be an http/],
    [{ PUBLIC_URL: 'https://calcitrack.example/?a=1' }, /PUBLIC_URL must not carry/],
    [{ DIGEST_HOUR: '24' }, /DIGEST_HOUR must be between 0 and 23/],
    [{ DIGEST_HOUR: 'seven' }, /DIGEST_HOUR must be a whole number/],
    [{ WEBHOOK_RETRY_BASE_SECONDS: '0' }, /WEBHOOK_RETRY_BASE_SECONDS must be between 1 and 3600/],
    [{ WEBHOOK_ALLOW_HOSTS: 'http://127.0.0.1' }, /WEBHOOK_ALLOW_HOSTS lists host names/],
    [{ WEBHOOK_ALLOW_HOSTS: 'hooks.lan:8080' }, /WEBHOOK_ALLOW_HOSTS lists host names/],
    [{ BACKGROUND_JOBS: 'sometimes' }, /BACKGROUND_JOBS must be on or off/],
  ])('refuses %j', (env, message) => {
    expect(() => load(env as Record<string, string>)).toThrow(ConfigError);
    expect(() => load(env as Record<string, string>)).toThrow(message);
  });

  it('turns background jobs off with BACKGROUND_JOBS=off, or the older JOB_INTERVAL_MS=0', () => {
    expect(load({ BACKGROUND_JOBS: 'off' }).backgroundJobs).toBe(false);
    expect(load({ JOB_INTERVAL_MS: '0' }).backgroundJobs).toBe(false);
    expect(load({ JOB_INTERVAL_MS: '3600000' }).backgroundJobs).toBe(true);
  });
});
