import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultLogFormat, type LogFormat } from '../common/logging/app-logger';

/** Runtime configuration, read once from the environment and validated at start-up. */
export interface AppConfig {
  /** External PostgreSQL; when absent the bundled server under `dataDir` is used. */
  databaseUrl: string | null;
  port: number;
  dataDir: string;
  bundledPostgresPort: number;
  jwtSecret: string;
  /** The key being rotated out: tokens it signed stay valid until they expire. */
  jwtSecretPrevious: string | null;
  jwtTtlSeconds: number;
  /** Absolute lifetime of a login session, however often it is refreshed. */
  sessionMaxHours: number;
  loginThrottle: { maxFailuresPerAccount: number; maxFailuresPerAddress: number; windowMinutes: number };
  bootstrap: { clinicName: string; adminEmail: string; adminPassword: string } | null;
  rateLimitPerMinute: number;
  /** requests per minute per client address on the public routes (login, refresh, health) */
  rateLimitPerAddressPerMinute: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** `json` (one object a line) or `pretty` (one readable line); by default pretty on a terminal */
  logFormat: LogFormat;
  /** Seconds a database statement may run before it is cancelled. */
  dbStatementTimeoutMs: number;
  corsOrigins: string[];
  /**
   * Whether this instance runs background work on pg-boss: notification delivery, the daily
   * digest and the overdue review. Off in most tests, which call the jobs directly.
   */
  backgroundJobs: boolean;
  /** how often an idle job worker asks the queue for work */
  jobPollingSeconds: number;
  notifications: NotificationConfig;
}

export interface WebhookConfig {
  /** the first wait after a failed delivery; each later wait doubles */
  retryBaseSeconds: number;
  /** the longest single wait between two attempts */
  maxRetryDelaySeconds: number;
  /** a delivery still failing this long after its first attempt is dead */
  giveUpAfterSeconds: number;
  /** how long one attempt may take, connection to response */
  timeoutMs: number;
  /** lower-case hosts that may be reached over http and at private or loopback addresses */
  allowHosts: string[];
}

export interface NotificationConfig {
  /** the SMTP server mail goes through; null: mail is off */
  smtpUrl: string | null;
  mailFrom: string | null;
  /** the app's address, without a trailing slash: links in e-mails and the alert URL in webhooks */
  publicUrl: string;
  /** the UTC hour (0–23) the daily digest goes out */
  digestHour: number;
  webhooks: WebhookConfig;
  /** how often an instance's dispatcher looks for new notifications and due deliveries */
  pollMs: number;
}

export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS: LogFormat[] = ['json', 'pretty'];

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function readOrCreateSecret(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

function smtpUrlOf(env: NodeJS.ProcessEnv): string | null {
  const raw = env.SMTP_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('SMTP_URL must be a URL such as smtp://user:pass@mail.example:587 or smtps://mail.example:465');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new ConfigError('SMTP_URL must start with smtp:// or smtps://');
  if (!url.hostname) throw new ConfigError('SMTP_URL must name a host');
  return raw;
}

/** `address@host` or `Display Name <address@host>`. */
const MAIL_FROM = /^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/;

function publicUrlOf(env: NodeJS.ProcessEnv, port: number): string {
  const raw = env.PUBLIC_URL?.trim() || `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('PUBLIC_URL must be an absolute http(s) URL such as https://calcitrack.example.org');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('PUBLIC_URL must be an http:// or https:// URL');
  if (url.search || url.hash || url.username) throw new ConfigError('PUBLIC_URL must not carry a query, fragment or credentials');
  return url.toString().replace(/\/+$/, '');
}

/** A host name or an IP address (IPv6 with or without brackets), nothing else. */
const ALLOW_HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[?[0-9a-f:.]+\]?)$/;

function allowHostsOf(env: NodeJS.ProcessEnv): string[] {
  const hosts = (env.WEBHOOK_ALLOW_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const host of hosts) {
    if (!ALLOW_HOST.test(host)) throw new ConfigError(`WEBHOOK_ALLOW_HOSTS lists host names or addresses separated by commas (no scheme, port or path), got "${host}"`);
  }
  return hosts;
}

function backgroundJobsOf(env: NodeJS.ProcessEnv): boolean {
  const raw = env.BACKGROUND_JOBS?.trim().toLowerCase();
  if (raw) {
    if (raw === 'on' || raw === 'true' || raw === '1') return true;
    if (raw === 'off' || raw === 'false' || raw === '0') return false;
    throw new ConfigError(`BACKGROUND_JOBS must be on or off, got "${env.BACKGROUND_JOBS}"`);
  }
  // JOB_INTERVAL_MS=0 turned the daily job off before pg-boss ran the jobs: still honoured
  return env.JOB_INTERVAL_MS?.trim() !== '0';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const dataDir = resolve(env.DATA_DIR?.trim() || './.data');

  let jwtSecret = env.JWT_SECRET?.trim() || '';
  if (!jwtSecret) {
    if (databaseUrl) throw new ConfigError('JWT_SECRET is required when DATABASE_URL is set');
    jwtSecret = readOrCreateSecret(dataDir);
  }
  if (jwtSecret.length < 32) throw new ConfigError('JWT_SECRET must be at least 32 characters');

  const bootstrapValues = [env.BOOTSTRAP_CLINIC_NAME, env.BOOTSTRAP_ADMIN_EMAIL, env.BOOTSTRAP_ADMIN_PASSWORD];
  const bootstrapSet = bootstrapValues.filter((v) => v && v.trim()).length;
  if (bootstrapSet > 0 && bootstrapSet < 3) {
    throw new ConfigError('BOOTSTRAP_CLINIC_NAME, BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD go together');
  }
  if (bootstrapSet === 3 && env.BOOTSTRAP_ADMIN_PASSWORD!.length < 12) {
    throw new ConfigError('BOOTSTRAP_ADMIN_PASSWORD must be at least 12 characters');
  }

  const logFormat = (env.LOG_FORMAT?.trim() || defaultLogFormat()) as LogFormat;
  if (!LOG_FORMATS.includes(logFormat)) throw new ConfigError(`LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}`);
  const rateLimitPerMinute = int(env, 'RATE_LIMIT_PER_MINUTE', 1000, 1, 1_000_000);
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const port = int(env, 'PORT', 3000, 0, 65535);
  const smtpUrl = smtpUrlOf(env);
  const mailFrom = env.MAIL_FROM?.trim() || null;
  if (mailFrom && !MAIL_FROM.test(mailFrom)) throw new ConfigError('MAIL_FROM must be an address such as calcitrack@clinic.example or "Calcitrack <calcitrack@clinic.example>"');
  if (smtpUrl && !mailFrom) throw new ConfigError('MAIL_FROM is required when SMTP_URL is set');

  return {
    databaseUrl,
    port,
    dataDir,
    bundledPostgresPort: int(env, 'BUNDLED_PG_PORT', 54329, 1024, 65535),
    jwtSecret,
    jwtSecretPrevious: env.JWT_SECRET_PREVIOUS?.trim() || null,
    jwtTtlSeconds: int(env, 'JWT_TTL_SECONDS', 900, 30, 86400),
    sessionMaxHours: int(env, 'SESSION_MAX_HOURS', 12, 1, 24 * 30),
    loginThrottle: {
      maxFailuresPerAccount: int(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', 5, 1, 1000),
      maxFailuresPerAddress: int(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', 100, 1, 100_000),
      windowMinutes: int(env, 'LOGIN_LOCK_MINUTES', 15, 1, 24 * 60),
    },
    bootstrap:
      bootstrapSet === 3
        ? {
            clinicName: env.BOOTSTRAP_CLINIC_NAME!.trim(),
            adminEmail: env.BOOTSTRAP_ADMIN_EMAIL!.trim().toLowerCase(),
            adminPassword: env.BOOTSTRAP_ADMIN_PASSWORD!,
          }
        : null,
    rateLimitPerMinute,
    rateLimitPerAddressPerMinute: int(env, 'RATE_LIMIT_PER_ADDRESS_PER_MINUTE', rateLimitPerMinute, 1, 1_000_000),
    logLevel,
    logFormat,
    dbStatementTimeoutMs: int(env, 'DB_STATEMENT_TIMEOUT_MS', 30000, 100, 3_600_000),
    backgroundJobs: backgroundJobsOf(env),
    jobPollingSeconds: 2,
    notifications: {
      smtpUrl,
      mailFrom,
      publicUrl: publicUrlOf(env, port),
      digestHour: int(env, 'DIGEST_HOUR', 7, 0, 23),
      webhooks: {
        retryBaseSeconds: int(env, 'WEBHOOK_RETRY_BASE_SECONDS', 30, 1, 3600),
        maxRetryDelaySeconds: 4 * 3600,
        giveUpAfterSeconds: 24 * 3600,
        timeoutMs: 10_000,
        allowHosts: allowHostsOf(env),
      },
      pollMs: 1000,
    },
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
