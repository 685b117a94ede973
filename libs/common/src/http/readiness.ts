import { ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckResult, HealthCheckService, HealthIndicatorFunction } from '@nestjs/terminus';

function describeFailure(name: string, detail: Record<string, unknown>): string {
  const reason = detail.reason ?? detail.message;

  return typeof reason === 'string' ? `${name} is down (${reason})` : `${name} is down`;
}

/**
 * Runs terminus checks for a readiness probe. When one fails, throws a 503
 * whose message names each failed check, because the one error body of the
 * HTTP filter keeps only a code and a message, not terminus's details.
 */
export async function checkReadiness(
  health: HealthCheckService,
  checks: HealthIndicatorFunction[],
): Promise<HealthCheckResult> {
  try {
    return await health.check(checks);
  } catch (error) {
    if (!(error instanceof ServiceUnavailableException)) {
      throw error;
    }
    const result = error.getResponse() as Partial<HealthCheckResult>;
    const failures = Object.entries(result.error ?? {}).map(([name, detail]) =>
      describeFailure(name, detail as Record<string, unknown>),
    );
    throw new ServiceUnavailableException({
      code: 'SERVICE_UNAVAILABLE',
      message: `not ready: ${failures.length > 0 ? failures.join('; ') : 'a check failed'}`,
    });
  }
}
