import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

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

/** Appends audit events. Pass the transaction's manager so the event commits with the change. */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  async record(
    record: AuditRecord,
    context: RequestContext,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.insert(AuditEvent, {
      type: record.type,
      institutionId: record.institutionId,
      actorType: record.actorType,
      actorUserId: record.actorUserId ?? null,
      targetUserId: record.targetUserId ?? null,
      reason: record.reason ?? null,
      detail: record.detail ?? null,
      ip: context.ip,
      userAgent: context.userAgent,
      requestId: context.requestId,
    });
  }
}
