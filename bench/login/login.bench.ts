import { createScratchDatabase, dropScratchDatabase } from '@app/database';

import { runComparison } from '../lib/comparison';
import { BenchContext } from '../lib/context';
import { BenchmarkResult, checkTarget } from '../lib/results';
import { startServices } from '../lib/services';
import { prepareBcryptBaseline, runBcryptBaseline } from './bcrypt-baseline';
import { BENCH_PASSWORD, BENCH_PIN, createLoginFixture } from './login-fixture';
import { runFullLogins } from './login-load';
import { profiled } from '../lib/profiler';

const MIN_RATIO = 0.9;
/** The bench's default bcrypt cost; results at another cost are stored under their own name. */
const DEFAULT_BENCH_COST = 10;

/**
 * Full login (password step, then step-up with a fresh code and the PIN)
 * against the same number of bare bcrypt compares, two per login, at each
 * concurrency. Everything that is not bcrypt (HTTP, validation, the TCP call
 * to the simulator, database writes, session issue) is the difference.
 */
export async function runLoginBenchmark(context: BenchContext): Promise<BenchmarkResult> {
  const { settings, log } = context;
  const databaseUrl = await createScratchDatabase(context.server.url, 'bench_login');
  const services = await startServices({
    databaseUrl,
    logLevel: settings.serviceLogLevel,
    bcryptCost: settings.bcryptCost,
  });

  try {
    const fixture = await createLoginFixture(services, settings.loginUsers, log);
    const hashes = await prepareBcryptBaseline(BENCH_PASSWORD, BENCH_PIN, settings.bcryptCost);
    const logins = settings.loginsPerRun;

    log('Warming up with 16 logins and 16 baseline operations');
    await runFullLogins(fixture, 16, 4, log);
    await runBcryptBaseline(hashes, 16, 4);

    const levels = await runComparison({
      concurrencyLevels: settings.concurrencyLevels,
      runs: settings.runs,
      log,
      runProduct: (concurrency, run) =>
        profiled(`login-c${concurrency}-run${run + 1}`, () =>
          runFullLogins(fixture, logins, concurrency, log),
        ),
      runBaseline: (concurrency) => runBcryptBaseline(hashes, logins, concurrency),
    });

    return {
      name:
        settings.bcryptCost === DEFAULT_BENCH_COST ? 'login' : `login-cost${settings.bcryptCost}`,
      measuredAt: new Date().toISOString(),
      machine: context.machine,
      settings: {
        runs: settings.runs,
        loginsPerRun: logins,
        users: settings.loginUsers,
        bcryptCost: settings.bcryptCost,
        serviceLogLevel: settings.serviceLogLevel,
      },
      targets: levels.map((level) =>
        checkTarget(
          `login throughput ≥ ${MIN_RATIO} × bcrypt baseline at concurrency ${level.concurrency}`,
          level.medians.ratio,
          '>=',
          MIN_RATIO,
          'ratio',
        ),
      ),
      data: { levels },
    };
  } finally {
    await services.close();
    await dropScratchDatabase(context.server.url, databaseUrl);
  }
}
