import { validateConfig } from '@app/common';

import { SimulatorConfig, decodeSecretKey } from './simulator-config';

const VALID = {
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/vip',
  VIP_SECRET_KEY: 'a'.repeat(64),
};

describe('SimulatorConfig', () => {
  it('applies the documented defaults', () => {
    const config = validateConfig(SimulatorConfig, VALID);

    expect(config.VIP_TCP_HOST).toBe('127.0.0.1');
    expect(config.VIP_TCP_PORT).toBe(7100);
    expect(config.VIP_HTTP_PORT).toBe(7101);
    expect(config.VIP_LOCK_THRESHOLD).toBe(10);
    expect(config.VIP_WINDOW_STEPS).toBe(1);
    expect(config.VIP_SYNC_WINDOW_STEPS).toBe(20);
    expect(config.VIP_TEMP_CODE_DEFAULT_SECONDS).toBe(86_400);
    expect(config.VIP_DB_SCHEMA).toBe('vip');
  });

  it('converts numeric settings from strings', () => {
    const config = validateConfig(SimulatorConfig, { ...VALID, VIP_LOCK_THRESHOLD: '3' });

    expect(config.VIP_LOCK_THRESHOLD).toBe(3);
  });

  it.each([
    ['VIP_SECRET_KEY', { DATABASE_URL: VALID.DATABASE_URL }],
    ['DATABASE_URL', { VIP_SECRET_KEY: VALID.VIP_SECRET_KEY }],
    ['VIP_SECRET_KEY', { ...VALID, VIP_SECRET_KEY: 'too-short' }],
    ['VIP_TCP_PORT', { ...VALID, VIP_TCP_PORT: '70000' }],
    ['VIP_LOCK_THRESHOLD', { ...VALID, VIP_LOCK_THRESHOLD: '0' }],
    ['VIP_TEMP_CODE_DEFAULT_SECONDS', { ...VALID, VIP_TEMP_CODE_DEFAULT_SECONDS: '2592001' }],
    ['LOG_LEVEL', { ...VALID, LOG_LEVEL: 'loud' }],
  ])('names %s when it is missing or invalid', (name, env) => {
    expect(() => validateConfig(SimulatorConfig, env)).toThrow(name);
  });

  it('decodes base64 and hex keys', () => {
    expect(decodeSecretKey(Buffer.alloc(32, 7).toString('base64'))).toHaveLength(32);
    expect(decodeSecretKey('ab'.repeat(32))).toHaveLength(32);
  });
});
