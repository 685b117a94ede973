import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { RequestContext } from '../common/request-context';
import { AuditActorType, AuditDetail, AuditEvent, AuditEventType } from './audit-event.entity';

export interface AuditRecord {
  type: AuditEventType;
  institutionId: string | null;
  actorType: AuditActorType;
  actorUserId?: string | null;
  targetUserId?: string | null;
  reason?: string | null;
  detail?: AuditDetail | null;
}

/** A TypeORM EntityManager or a pg client: anything that runs one statement with parameters. */
export interface SqlExecutor {
  query(text: string, values: unknown[]): Promise<unknown>;
}

/** Columns that an audit INSERT sets, in the order of auditEventValues. */
const AUDIT_EVENT_COLUMNS =
  'type, institution_id, actor_type, actor_user_id, target_user_id, reason, detail, ' +
  'ip, user_agent, request_id';

/** Number of parameters of one audit INSERT. */
const AUDIT_EVENT_PARAMETER_COUNT = 10;

/**
 * Builds `INSERT INTO table (…) VALUES ($n, …)` for one audit event, with
 * parameters numbered from `firstParameter`, so the INSERT can be one part of
 * a larger statement. Its values come from auditEventValues.
 */
export function auditEventInsertSql(table: string, firstParameter: number): string {
  const placeholders = Array.from(
    { length: AUDIT_EVENT_PARAMETER_COUNT },
    (_, index) => `$${firstParameter + index}`,
  );

  return `INSERT INTO ${table} (${AUDIT_EVENT_COLUMNS}) VALUES (${placeholders.join(', ')})`;
}

/** Returns the parameter values of auditEventInsertSql for one event. */
export function auditEventValues(record: AuditRecord, context: RequestContext): unknown[] {
  return [
    record.type,
    record.institutionId,
    record.actorType,
    record.actorUserId ?? null,
    record.targetUserId ?? null,
    record.reason ?? null,
    record.detail ? JSON.stringify(record.detail) : null,
    context.ip,
    context.userAgent,
    context.requestId,
  ];
}

/**
 * Appends audit events. Pass the transaction's EntityManager or pg client so
 * the event commits with the change.
 */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  async record(
    record: AuditRecord,
    context: RequestContext,
    executor: SqlExecutor = this.dataSource.manager,
  ): Promise<void> {
    // A plain statement: TypeORM's insert builder takes about three times the
    // CPU time of the statement itself, and every login writes two or more events.
    const table = this.dataSource.getMetadata(AuditEvent).tablePath;
    await executor.query(auditEventInsertSql(table, 1), auditEventValues(record, context));
  }
}
