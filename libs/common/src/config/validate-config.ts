import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

/**
 * Validates environment settings into a typed object. Throws one error that
 * names every missing or invalid setting, so the process stops at start-up.
 */
export function validateConfig<T extends object>(
  schema: new () => T,
  env: Record<string, unknown>,
): T {
  const config = plainToInstance(schema, env, { enableImplicitConversion: true });
  const errors = validateSync(config, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map((error) => {
      const rules = Object.values(error.constraints ?? {}).join('; ');

      return `  ${error.property}: ${rules}`;
    });
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }

  return config;
}
