import { performance } from 'node:perf_hooks';

import autocannon from 'autocannon';

import { RunMeasurement, buildRunMeasurement } from './stats';

export interface HttpLoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  requests: number;
  concurrency: number;
  /** Returns an error message when a reply is not the expected one, or undefined. */
  checkReply: (status: number, body: string) => string | undefined;
}

interface TimedContext {
  startedAt?: number;
}

/**
 * Sends a fixed number of identical requests with autocannon and times each
 * one itself with performance.now(), because autocannon's own histogram
 * rounds to whole milliseconds, too coarse for replies of 1 to 5 ms.
 */
export async function runHttpLoad(options: HttpLoadOptions): Promise<RunMeasurement> {
  const url = new URL(options.url);
  const latenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let firstStartedAt: number | undefined;
  let lastCompletedAt = 0;

  const request: autocannon.Request = {
    method: options.method ?? 'GET',
    path: `${url.pathname}${url.search}`,
    headers: options.headers,
    setupRequest: (built, rawContext) => {
      const startedAt = performance.now();
      (rawContext as TimedContext).startedAt = startedAt;
      firstStartedAt ??= startedAt;

      return built;
    },
    onResponse: (status, body, rawContext) => {
      lastCompletedAt = performance.now();
      const startedAt = (rawContext as TimedContext).startedAt ?? lastCompletedAt;
      const problem = options.checkReply(status, body);
      if (problem) {
        errors += 1;
        firstError ??= problem;
      } else {
        latenciesMs.push(lastCompletedAt - startedAt);
      }
    },
  };

  await autocannon({
    url: url.origin,
    connections: options.concurrency,
    amount: options.requests,
    timeout: 30,
    requests: [request],
  });
  // autocannon ends its run on a timer tick after the last reply, so the
  // run's duration is taken from the first request to the last reply instead.
  const durationMs = lastCompletedAt - (firstStartedAt ?? lastCompletedAt);

  return buildRunMeasurement(options.concurrency, latenciesMs, durationMs, errors, firstError);
}
