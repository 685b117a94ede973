import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { getMetadataStorage } from 'class-validator';

import { AuthConfig } from '../apps/auth-service/src/config/auth-config';
import { SimulatorConfig } from '../apps/vip-simulator/src/config/simulator-config';

/** Settings that scripts/launcher/settings.ts reads besides the services' own. */
const LAUNCHER_SETTINGS = ['DATA_DIR', 'EMBEDDED_PG_DIR', 'EMBEDDED_PG_PORT', 'SEED_DEMO'];

function validatedSettings(schema: new () => object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);

  return [...new Set(metadata.map((entry) => entry.propertyName))];
}

describe('.env.example', () => {
  const listed = new Set(
    readFileSync(resolve(__dirname, '..', '.env.example'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z0-9_]+=/.test(line))
      .map((line) => line.slice(0, line.indexOf('='))),
  );

  it.each([
    ['auth service', validatedSettings(AuthConfig)],
    ['VIP simulator', validatedSettings(SimulatorConfig)],
    ['launcher', LAUNCHER_SETTINGS],
  ])('lists every %s setting', (_, settings) => {
    expect(settings.length).toBeGreaterThan(3);
    expect(settings.filter((name) => !listed.has(name))).toEqual([]);
  });
});
