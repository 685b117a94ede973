import { DataSource, Logger, QueryRunner } from 'typeorm';

import { RunMeasurement } from '../lib/stats';
import { runHttpLoad } from '../lib/http-load';
import { requestJson } from '../lib/http-json';

export const AUDIT_PAGE_SIZE = 50;

/** One SQL statement the auth service ran, as TypeORM passed it to the driver. */
export interface CapturedQuery {
  sql: string;
  parameters: unknown[];
}

export function auditPageUrl(apiUrl: string, cursor?: string): string {
  const query = new URLSearchParams({ limit: String(AUDIT_PAGE_SIZE) });
  if (cursor) {
    query.set('cursor', cursor);
  }

  return `${apiUrl}/admin/audit-events?${query.toString()}`;
}

/** Builds the page cursor the service hands out: the base64url text of the event's ID. */
export function cursorForEvent(eventId: string): string {
  return Buffer.from(eventId, 'utf8').toString('base64url');
}

function checkAuditPage(status: number, body: string): string | undefined {
  if (status !== 200) {
    return `audit page returned HTTP ${status} ${body.slice(0, 200)}`;
  }
  const page = JSON.parse(body) as { items?: unknown[] };

  return Array.isArray(page.items) && page.items.length > 0
    ? undefined
    : `audit page returned no items: ${body.slice(0, 200)}`;
}

/** Requests the same audit page `requests` times, one at a time. */
export function runAuditPages(
  apiUrl: string,
  adminHeaders: Record<string, string>,
  cursor: string | undefined,
  requests: number,
): Promise<RunMeasurement> {
  return runHttpLoad({
    url: auditPageUrl(apiUrl, cursor),
    headers: adminHeaders,
    requests,
    concurrency: 1,
    checkReply: checkAuditPage,
  });
}

/**
 * Requests one audit page and returns the SQL statements the service ran for
 * it, by standing in for the TypeORM logger of the in-process service while
 * the request runs. The statements are then explained with the same
 * parameters, so the plans shown are those of the real query.
 */
export async function captureAuditPageQueries(
  dataSource: DataSource,
  apiUrl: string,
  adminHeaders: Record<string, string>,
  cursor: string | undefined,
): Promise<CapturedQuery[]> {
  const captured: CapturedQuery[] = [];
  const original = dataSource.logger;
  const recorder: Logger = {
    logQuery: (sql: string, parameters?: unknown[], _runner?: QueryRunner) => {
      captured.push({ sql, parameters: parameters ?? [] });
    },
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };

  dataSource.logger = recorder;
  try {
    const response = await requestJson(auditPageUrl(apiUrl, cursor), 'GET', adminHeaders);
    const problem = checkAuditPage(response.status, JSON.stringify(response.body));
    if (problem) {
      throw new Error(problem);
    }
  } finally {
    dataSource.logger = original;
  }

  return captured.filter((query) => query.sql.includes('audit_events'));
}
