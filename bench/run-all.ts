import { runAuthenticateBenchmark } from './authenticate/authenticate.bench';
import { runGrowthBenchmark } from './growth/growth.bench';
import { writeConcurrencyPlot } from './lib/concurrency-plot';
import { BenchContext } from './lib/context';
import { startBenchServer } from './lib/database';
import { describeMachine } from './lib/machine';
import { BenchmarkResult, RESULTS_FILE, saveResult } from './lib/results';
import { loadBenchSettings } from './lib/settings';
import { runLoginBenchmark } from './login/login.bench';
import { runStartupBenchmark } from './startup/startup.bench';

const BENCHMARKS: Record<string, (context: BenchContext) => Promise<BenchmarkResult>> = {
  login: runLoginBenchmark,
  authenticate: runAuthenticateBenchmark,
  growth: runGrowthBenchmark,
  startup: runStartupBenchmark,
};

const USAGE = `Usage: node dist/bench/run-all.js [${Object.keys(BENCHMARKS).join('|')} ...]
Runs the named benchmarks (all when none is named), stores the results in
bench/results/latest.json and draws docs/benchmarks-concurrency.svg.
Settings (environment): BENCH_RUNS, BENCH_CONCURRENCY, BENCH_BCRYPT_COST,
BENCH_LOGINS_PER_RUN, BENCH_LOGIN_USERS, BENCH_AUTHENTICATIONS_PER_RUN,
BENCH_AUTHENTICATE_CREDENTIALS, BENCH_GROWTH_USERS, BENCH_GROWTH_AUDIT_EVENTS,
BENCH_LOG_LEVEL, DATABASE_URL (use this server instead of an embedded one).`;

function log(line: string): void {
  console.log(`[bench] ${line}`);
}

function parseNames(args: string[]): string[] {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  const unknown = args.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark: ${unknown.join(', ')}\n\n${USAGE}`);
    process.exit(2);
  }

  return args.length > 0 ? args : Object.keys(BENCHMARKS);
}

function printTargets(result: BenchmarkResult): void {
  for (const target of result.targets) {
    const verdict = target.met ? 'met   ' : 'MISSED';
    log(`  ${verdict} ${target.target}: ${target.measured} ${target.unit}`);
  }
}

async function main(): Promise<void> {
  const names = parseNames(process.argv.slice(2));
  const settings = loadBenchSettings();
  const server = await startBenchServer(log);
  let failed = false;

  try {
    const machine = await describeMachine(server.url);
    log(
      `${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryTotalMiB} MiB, ` +
        `Node ${machine.nodeVersion}, PostgreSQL ${machine.postgresVersion}, ` +
        `load average ${machine.loadAverageAtStart.toFixed(2)}`,
    );
    const context: BenchContext = { settings, server, machine, log };

    for (const name of names) {
      log(`=== ${name} ===`);
      try {
        const result = await BENCHMARKS[name](context);
        const results = saveResult(result);
        printTargets(result);
        const plot = writeConcurrencyPlot(results);
        log(`Results stored in ${RESULTS_FILE}${plot ? `; plot drawn in ${plot}` : ''}`);
      } catch (error) {
        failed = true;
        console.error(`[bench] ${name} failed: ${(error as Error).stack ?? String(error)}`);
      }
    }
  } finally {
    await server.stop();
  }
  process.exit(failed ? 1 : 0);
}

void main();
