import { performance } from 'node:perf_hooks';

import autocannon from 'autocannon';

import { FreshCode } from '../lib/fresh-code-pool';
import { RunMeasurement, buildRunMeasurement } from '../lib/stats';
import { BENCH_PASSWORD, LoginFixture, LoginUser } from './login-fixture';

/** State autocannon keeps per connection for one login (its `context`). */
interface LoginContext {
  fresh?: FreshCode<LoginUser>;
  startedAt?: number;
  challengeToken?: string;
}

/**
 * autocannon restarts a connection's request cycle when setupRequest returns
 * a falsy value (documented in its README); its type declarations leave that out.
 */
const RESTART_CYCLE = undefined as unknown as autocannon.Request;
const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * Runs `logins` full logins with autocannon: each of `concurrency`
 * connections sends POST /auth/login, then POST /auth/step-up with the
 * challenge token from the login reply, a fresh code and the PIN. A login's
 * latency runs from building the login request to the step-up reply.
 */
export async function runFullLogins(
  fixture: LoginFixture,
  logins: number,
  concurrency: number,
  log: (line: string) => void,
): Promise<RunMeasurement> {
  const pool = fixture.users;
  await pool.waitForCapacity(logins + 2 * concurrency, log);
  const url = new URL(fixture.apiUrl);
  const latenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let firstStartedAt: number | undefined;
  let lastCompletedAt = 0;

  const fail = (context: LoginContext, message: string): void => {
    errors += 1;
    firstError ??= message;
    if (context.fresh) {
      pool.release(context.fresh.account);
      context.fresh = undefined;
    }
  };

  const loginRequest: autocannon.Request = {
    method: 'POST',
    path: `${url.pathname}/auth/login`,
    headers: JSON_HEADERS,
    setupRequest: (request, rawContext) => {
      const context = rawContext as LoginContext;
      context.fresh = pool.acquire();
      context.startedAt = performance.now();
      firstStartedAt ??= context.startedAt;
      context.challengeToken = undefined;
      // A login without a fresh code still has to send something; an unknown
      // user fails fast and the failure is counted below.
      const username = context.fresh?.account.owner.username ?? 'bench.no-fresh-code';

      return { ...request, body: JSON.stringify({ username, password: BENCH_PASSWORD }) };
    },
    onResponse: (status, body, rawContext) => {
      const context = rawContext as LoginContext;
      if (!context.fresh) {
        fail(context, 'the code pool ran out of fresh codes in the middle of a run');
        return;
      }
      const reply = status === 200 ? (JSON.parse(body) as Record<string, unknown>) : {};
      if (reply.status === 'TOKEN_REQUIRED' && typeof reply.challengeToken === 'string') {
        context.challengeToken = reply.challengeToken;
      } else {
        fail(context, `login returned HTTP ${status} ${body.slice(0, 200)}`);
      }
    },
  };

  const stepUpRequest: autocannon.Request = {
    method: 'POST',
    path: `${url.pathname}/auth/step-up`,
    headers: JSON_HEADERS,
    setupRequest: (request, rawContext) => {
      const context = rawContext as LoginContext;
      if (!context.fresh || !context.challengeToken) {
        return RESTART_CYCLE;
      }
      const body = {
        challengeToken: context.challengeToken,
        securityCode: context.fresh.code,
        pin: context.fresh.account.owner.pin,
      };

      return { ...request, body: JSON.stringify(body) };
    },
    onResponse: (status, body, rawContext) => {
      const context = rawContext as LoginContext;
      const reply = status === 200 ? (JSON.parse(body) as Record<string, unknown>) : {};
      if (reply.status === 'AUTHENTICATED' && context.fresh && context.startedAt !== undefined) {
        lastCompletedAt = performance.now();
        latenciesMs.push(lastCompletedAt - context.startedAt);
        pool.release(context.fresh.account);
        context.fresh = undefined;
      } else {
        fail(context, `step-up returned HTTP ${status} ${body.slice(0, 200)}`);
      }
    },
  };

  await autocannon({
    url: url.origin,
    connections: concurrency,
    amount: 2 * logins,
    timeout: 30,
    requests: [loginRequest, stepUpRequest],
  });
  // autocannon ends its run on a timer tick after the last reply, so the
  // run's duration is taken from the first request to the last login instead.
  const durationMs = lastCompletedAt - (firstStartedAt ?? lastCompletedAt);
  // autocannon stops after `amount` requests, which can leave a connection
  // between its login and its step-up; that user is free for the next run.
  pool.releaseAll();

  return buildRunMeasurement(concurrency, latenciesMs, durationMs, errors, firstError);
}
