import { createScratchDatabase, dropScratchDatabase } from '@app/database';

import { runComparison } from '../lib/comparison';
import { BenchContext } from '../lib/context';
import { BenchmarkResult, checkTarget } from '../lib/results';
import { startSimulator } from '../lib/services';
import { RunMeasurement, median, round } from '../lib/stats';
import { cpuPerOperation, sampleCpu } from '../lib/cpu-usage';
import { profiled } from '../lib/profiler';
import { LoadWorkerClient } from './load-worker-client';

/** Pool size of the simulator's TypeORM data source (buildDataSourceOptions default). */
const SIMULATOR_POOL_SIZE = 10;
const MIN_RATIO = 0.5;
const MAX_P99_MS = 10;
const P99_CONCURRENCY = 32;

/**
 * Simulator authenticate over the NestJS TCP transport against single-row
 * `UPDATE … RETURNING` statements on the same PostgreSQL, at each
 * concurrency. Every authenticate carries a fresh valid code, so each one
 * takes the success path: credential lookup, TOTP check, atomic step update
 * and the usage record.
 */
export async function runAuthenticateBenchmark(context: BenchContext): Promise<BenchmarkResult> {
  const { settings, log } = context;
  const databaseUrl = await createScratchDatabase(context.server.url, 'bench_authenticate');
  const simulator = await startSimulator(databaseUrl, settings.serviceLogLevel);
  const worker = new LoadWorkerClient(log);

  try {
    log(`Provisioning ${settings.authenticateCredentials} credentials through the TCP API`);
    await worker.send({
      type: 'setup',
      vipHost: '127.0.0.1',
      vipPort: simulator.tcpPort,
      databaseUrl,
      credentials: settings.authenticateCredentials,
      poolSize: SIMULATOR_POOL_SIZE,
    });

    const operations = settings.authenticationsPerRun;
    log(`Warming up with ${Math.min(operations, 200)} of each operation`);
    await worker.measure({
      type: 'authenticate',
      operations: Math.min(operations, 200),
      concurrency: 8,
    });
    await worker.measure({ type: 'update', operations: Math.min(operations, 200), concurrency: 8 });

    const levels = await runComparison({
      concurrencyLevels: settings.concurrencyLevels,
      runs: settings.runs,
      log,
      runProduct: (concurrency, run) =>
        profiled(`authenticate-c${concurrency}-run${run + 1}`, () =>
          worker.measure({ type: 'authenticate', operations, concurrency }),
        ),
      runBaseline: (concurrency) => worker.measure({ type: 'update', operations, concurrency }),
    });

    log('Measuring the two-statement floor (SELECT, then UPDATE … RETURNING)');
    const readThenUpdate = await measureContext(worker, 'read-then-update', operations, settings);
    logContext(log, readThenUpdate);
    log('Measuring the transport floor (vip.ping over the same TCP client)');
    const ping = await measureContext(worker, 'ping', operations, settings);
    logContext(log, ping);

    const targets = levels.map((level) =>
      checkTarget(
        `authenticate throughput ≥ ${MIN_RATIO} × UPDATE baseline at concurrency ${level.concurrency}`,
        level.medians.ratio,
        '>=',
        MIN_RATIO,
        'ratio',
      ),
    );
    const top = levels.find((level) => level.concurrency === P99_CONCURRENCY);
    if (top) {
      targets.push(
        checkTarget(
          `authenticate p99 < ${MAX_P99_MS} ms at concurrency ${P99_CONCURRENCY}`,
          top.medians.productP99,
          '<=',
          MAX_P99_MS,
          'ms',
        ),
      );
    }

    return {
      name: 'authenticate',
      measuredAt: new Date().toISOString(),
      machine: context.machine,
      settings: {
        runs: settings.runs,
        operationsPerRun: operations,
        credentials: settings.authenticateCredentials,
        simulatorPoolSize: SIMULATOR_POOL_SIZE,
        serviceLogLevel: settings.serviceLogLevel,
      },
      targets,
      data: { levels, readThenUpdate, ping },
    };
  } finally {
    await worker.close();
    await simulator.close();
    await dropScratchDatabase(context.server.url, databaseUrl);
  }
}

/** Medians of a workload measured for context, with no target of its own. */
export interface ContextLevel {
  concurrency: number;
  runs: RunMeasurement[];
  medianThroughput: number;
  medianP50: number;
  medianP99: number;
  medianCpuMs: number;
  medianPostgresCpuMs: number;
}

/** Measures a context workload at each concurrency, `settings.runs` times. */
async function measureContext(
  worker: LoadWorkerClient,
  type: 'read-then-update' | 'ping',
  operations: number,
  settings: BenchContext['settings'],
): Promise<ContextLevel[]> {
  const levels: ContextLevel[] = [];
  for (const concurrency of settings.concurrencyLevels) {
    const runs: RunMeasurement[] = [];
    for (let run = 0; run < settings.runs; run += 1) {
      const start = sampleCpu();
      const measured = await worker.measure({ type, operations, concurrency });
      runs.push({ ...measured, cpu: cpuPerOperation(start, measured.operations) });
    }
    levels.push({
      concurrency,
      runs,
      medianThroughput: round(median(runs.map((measured) => measured.throughput))),
      medianP50: round(median(runs.map((measured) => measured.latency.p50))),
      medianP99: round(median(runs.map((measured) => measured.latency.p99))),
      medianCpuMs: round(median(runs.map((measured) => measured.cpu?.processMs ?? Number.NaN))),
      medianPostgresCpuMs: round(
        median(runs.map((measured) => measured.cpu?.postgresMs ?? Number.NaN)),
      ),
    });
  }

  return levels;
}

function logContext(log: (line: string) => void, levels: ContextLevel[]): void {
  for (const level of levels) {
    log(
      `  c=${level.concurrency}: ${level.medianThroughput.toFixed(1)}/s, ` +
        `p50 ${level.medianP50.toFixed(2)} ms, p99 ${level.medianP99.toFixed(2)} ms, ` +
        `CPU ${level.medianCpuMs.toFixed(2)} + ${level.medianPostgresCpuMs.toFixed(2)} PG ms/op`,
    );
  }
}
