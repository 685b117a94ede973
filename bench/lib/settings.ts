/** Benchmark settings, read from environment variables with the defaults below. */
export interface BenchSettings {
  /** Runs per measurement; results are medians over them. */
  runs: number;
  concurrencyLevels: number[];
  /** bcrypt cost for passwords and PINs in the login benchmarks. */
  bcryptCost: number;
  /** Full logins per run at each concurrency. */
  loginsPerRun: number;
  /** Registered users the login benchmark rotates over (one credential each). */
  loginUsers: number;
  /** Simulator authenticate calls per run at each concurrency. */
  authenticationsPerRun: number;
  /** Credentials the authenticate benchmark rotates over. */
  authenticateCredentials: number;
  /** Users in the large state of the growth benchmark. */
  growthUsers: number;
  /** Audit events in the large state of the growth benchmark. */
  growthAuditEvents: number;
  /** Log level of the services under test. */
  serviceLogLevel: string;
}

function readInteger(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }

  return value;
}

function readConcurrencyLevels(): number[] {
  const raw = process.env.BENCH_CONCURRENCY ?? '1,8,32';
  const levels = raw.split(',').map((part) => Number(part.trim()));
  if (levels.length === 0 || levels.some((level) => !Number.isInteger(level) || level < 1)) {
    throw new Error(
      `BENCH_CONCURRENCY must be a comma-separated list of integers >= 1, got "${raw}"`,
    );
  }

  return levels;
}

export function loadBenchSettings(): BenchSettings {
  return {
    runs: readInteger('BENCH_RUNS', 3, 1, 50),
    concurrencyLevels: readConcurrencyLevels(),
    bcryptCost: readInteger('BENCH_BCRYPT_COST', 10, 4, 15),
    loginsPerRun: readInteger('BENCH_LOGINS_PER_RUN', 96, 1, 100_000),
    loginUsers: readInteger('BENCH_LOGIN_USERS', 256, 1, 100_000),
    authenticationsPerRun: readInteger('BENCH_AUTHENTICATIONS_PER_RUN', 1000, 1, 1_000_000),
    authenticateCredentials: readInteger('BENCH_AUTHENTICATE_CREDENTIALS', 4000, 1, 1_000_000),
    growthUsers: readInteger('BENCH_GROWTH_USERS', 1_000_000, 1000, 100_000_000),
    growthAuditEvents: readInteger('BENCH_GROWTH_AUDIT_EVENTS', 10_000_000, 1, 1_000_000_000),
    serviceLogLevel: process.env.BENCH_LOG_LEVEL ?? 'silent',
  };
}
