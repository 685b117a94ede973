import { execFileSync } from 'node:child_process';
import * as OTPAuth from 'otpauth';

export interface CodeSource {
  name: string;
  /** Returns the code for the given time (ms since the epoch). */
  codeAt(atMs: number): string;
}

function hasOathtool(): boolean {
  try {
    execFileSync('oathtool', ['--version'], { stdio: 'ignore' });

    return true;
  } catch {
    return false;
  }
}

/**
 * Computes codes from a provisioning URI without the simulator: with oathtool
 * when it is installed, otherwise with the otpauth package. Neither shares code
 * with the simulator, which uses otplib.
 */
export function codeSourceFromUri(otpauthUri: string): CodeSource {
  const totp = OTPAuth.URI.parse(otpauthUri);
  if (!(totp instanceof OTPAuth.TOTP)) {
    throw new Error('The provisioning URI is not an otpauth://totp/ URI');
  }
  if (hasOathtool()) {
    const secret = totp.secret.base32;

    return {
      name: 'oathtool',
      codeAt: (atMs) =>
        execFileSync('oathtool', [
          '--totp=SHA1',
          '--digits=6',
          '--time-step-size=30s',
          `--now=${new Date(atMs)
            .toISOString()
            .replace('T', ' ')
            .replace(/\.\d+Z$/, ' UTC')}`,
          '--base32',
          secret,
        ])
          .toString()
          .trim(),
    };
  }

  return { name: 'otpauth package', codeAt: (atMs) => totp.generate({ timestamp: atMs }) };
}

/** Waits until the next 30-second time step starts, so the next code is a new one. */
export async function waitForNextTimeStep(log: (line: string) => void): Promise<void> {
  const remainingMs = 30_000 - (Date.now() % 30_000) + 250;
  log(`   waiting ${Math.ceil(remainingMs / 1000)} s for the next 30-second time step...`);
  await new Promise((done) => setTimeout(done, remainingMs));
}
