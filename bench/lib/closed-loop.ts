import { performance } from 'node:perf_hooks';

import { RunMeasurement, buildRunMeasurement } from './stats';

export interface ClosedLoopOptions {
  /** Operations to run in total, shared among the workers. */
  operations: number;
  /** Workers that each start the next operation as soon as their previous one ends. */
  concurrency: number;
  /** Runs one operation; a rejected promise counts as an error. */
  operation: (index: number) => Promise<void>;
}

/**
 * Runs a fixed number of asynchronous operations with a fixed number in
 * flight (a closed loop, like autocannon's connections) and measures each
 * one's latency. Used where no HTTP load generator fits: bcrypt, SQL and the
 * NestJS TCP transport.
 */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<RunMeasurement> {
  const latenciesMs: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;

  const worker = async (): Promise<void> => {
    while (next < options.operations) {
      const index = next;
      next += 1;
      const startedAt = performance.now();
      try {
        await options.operation(index);
        latenciesMs.push(performance.now() - startedAt);
      } catch (error) {
        errors += 1;
        firstError ??= describeError(error);
      }
    }
  };

  const startedAt = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, () => worker()));
  const durationMs = performance.now() - startedAt;

  return buildRunMeasurement(options.concurrency, latenciesMs, durationMs, errors, firstError);
}

/** Formats an error or a rejected value (NestJS TCP errors arrive as plain objects). */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }

  return typeof error === 'object' ? JSON.stringify(error) : String(error);
}
