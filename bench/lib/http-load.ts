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

  const request: autocannon.Request = {
    method: options.method ?? 'GET',
    path: `${url.pathname}${url.search}`,
    headers: options.headers,
    setupRequest: (built, rawContext) => {
      (rawContext as TimedContext).startedAt = performance.now();

      return built;
    },
    onResponse: (status, body, rawContext) => {
      const startedAt = (rawContext as TimedContext).startedAt ?? performance.now();
      const problem = options.checkReply(status, body);
      if (problem) {
        errors += 1;
        firstError ??= problem;
      } else {
        latenciesMs.push(performance.now() - startedAt);
      }
    },
  };

  const startedAt = performance.now();
  await autocannon({
    url: url.origin,
    connections: options.concurrency,
    amount: options.requests,
    timeout: 30,
    requests: [request],
  });
  const durationMs = performance.now() - startedAt;

  return buildRunMeasurement(options.concurrency, latenciesMs, durationMs, errors, firstError);
}
