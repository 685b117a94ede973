import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEFAULT_VIP_CLI, DemoStepError, SecureTokenDemo } from './demo/steps';

function operatorKey(): string {
  if (process.env.OPERATOR_API_KEY) {
    return process.env.OPERATOR_API_KEY;
  }
  const dataDir = process.env.DATA_DIR ?? join(__dirname, '..', '..', '.data');
  const file = join(dataDir, 'local-secrets.json');
  if (!existsSync(file)) {
    throw new Error(
      `Set OPERATOR_API_KEY, or start the system with "npm start" first (${file} is missing)`,
    );
  }

  return (JSON.parse(readFileSync(file, 'utf8')) as { OPERATOR_API_KEY: string }).OPERATOR_API_KEY;
}

async function main(): Promise<void> {
  const authUrl = process.env.AUTH_URL ?? `http://127.0.0.1:${process.env.AUTH_HTTP_PORT ?? 3000}`;
  const demo = new SecureTokenDemo({
    authUrl,
    operatorApiKey: operatorKey(),
    vipCli: DEFAULT_VIP_CLI,
    log: (line) => console.log(line),
  });
  try {
    await demo.run();
    console.log('\nDemo finished: every step gave the expected result.');
  } catch (error) {
    if (error instanceof DemoStepError) {
      console.error(`\nWrong result: ${error.message}`);
    } else {
      const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
      console.error(
        `\nError: ${(error as Error).message}${cause ? ` (${cause})` : ''}. Is the system ` +
          `running at ${authUrl}? Start it with "npm start", and give the demo the same ` +
          'AUTH_HTTP_PORT and VIP_HTTP_PORT settings.',
      );
    }
    process.exitCode = 1;
  }
}

void main();
