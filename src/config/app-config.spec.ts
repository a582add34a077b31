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
