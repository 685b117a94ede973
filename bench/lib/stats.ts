/** Latency distribution of one run, in milliseconds. */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

import type { CpuPerOperation } from './cpu-usage';

/** One measured run of a workload: a fixed number of operations at a fixed concurrency. */
export interface RunMeasurement {
  concurrency: number;
  /** Operations that completed successfully. */
  operations: number;
  errors: number;
  /** First error seen, so a failing run explains itself in the results file. */
  firstError?: string;
  durationMs: number;
  /** Successful operations per second of wall-clock time. */
  throughput: number;
  latency: LatencySummary;
  /** CPU time per successful operation, where the runner measured it. */
  cpu?: CpuPerOperation;
}

/**
 * Returns the p-th percentile (0 < p <= 100) of values sorted in ascending
 * order, by the nearest-rank method: the smallest value that at least p% of
 * the values are at or below.
 */
export function percentile(sortedValues: readonly number[], p: number): number {
  if (sortedValues.length === 0) {
    return Number.NaN;
  }
  const rank = Math.ceil((p / 100) * sortedValues.length);

  return sortedValues[Math.min(Math.max(rank, 1), sortedValues.length) - 1];
}

/** Returns the median; for an even count, the mean of the two middle values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) {
    return Number.NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);

  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function summarizeLatencies(latenciesMs: readonly number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);

  return {
    count: sorted.length,
    mean: sorted.length === 0 ? Number.NaN : total / sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1],
  };
}

/** Builds a run measurement from per-operation latencies and the run's wall-clock time. */
export function buildRunMeasurement(
  concurrency: number,
  latenciesMs: readonly number[],
  durationMs: number,
  errors: number,
  firstError?: string,
): RunMeasurement {
  return {
    concurrency,
    operations: latenciesMs.length,
    errors,
    firstError,
    durationMs,
    throughput: durationMs > 0 ? (latenciesMs.length * 1000) / durationMs : 0,
    latency: summarizeLatencies(latenciesMs),
  };
}

/** Rounds for the results file and tables: three significant decimals are plenty for noisy runs. */
export function round(value: number, decimals = 3): number {
  const factor = 10 ** decimals;

  return Math.round(value * factor) / factor;
}
