import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AuthErrorCode } from '../errors/auth-error-code';
import { AuthException } from '../errors/auth.exception';
import { AuditEvent, AuditEventType } from './audit-event.entity';

export interface AuditEventFilter {
  institutionId: string;
  targetUserId?: string;
  type?: AuditEventType;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

export interface AuditEventPage {
  items: AuditEvent[];
  nextCursor: string | null;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Reads audit events newest first with keyset pagination on (occurred_at, id).
 * The cursor is the base64url id of the last event of the previous page.
 */
@Injectable()
export class AuditQueryService {
  constructor(private readonly dataSource: DataSource) {}

  async findPage(filter: AuditEventFilter): Promise<AuditEventPage> {
    const table = this.dataSource.getMetadata(AuditEvent).tablePath;
    const query = this.dataSource
      .getRepository(AuditEvent)
      .createQueryBuilder('e')
      .where('e.institution_id = :institutionId', { institutionId: filter.institutionId })
      .orderBy('e.occurred_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(filter.limit + 1);

    if (filter.targetUserId) {
      query.andWhere('e.target_user_id = :targetUserId', { targetUserId: filter.targetUserId });
    }
    if (filter.type) {
      query.andWhere('e.type = :type', { type: filter.type });
    }
    if (filter.from) {
      query.andWhere('e.occurred_at >= :from', { from: filter.from });
    }
    if (filter.to) {
      query.andWhere('e.occurred_at < :to', { to: filter.to });
    }
    if (filter.cursor) {
      const cursorId = await this.resolveCursor(filter.cursor, filter.institutionId);
      // The comparison runs on the stored timestamps, which have microsecond
      // precision; a JavaScript Date would round them to milliseconds.
      query.andWhere(
        `(e.occurred_at, e.id) < (SELECT c.occurred_at, c.id FROM ${table} c WHERE c.id = :cursorId)`,
        { cursorId },
      );
    }

    const rows = await query.getMany();
    const items = rows.slice(0, filter.limit);
    const hasMore = rows.length > filter.limit;

    return {
      items,
      nextCursor: hasMore ? encodeCursor(items[items.length - 1].id) : null,
    };
  }

  private async resolveCursor(cursor: string, institutionId: string): Promise<string> {
    const id = Buffer.from(cursor, 'base64url').toString('utf8');
    const invalid = new AuthException(
      AuthErrorCode.InvalidCursor,
      'cursor is invalid: pass the nextCursor value of the previous page unchanged',
    );
    if (!UUID_PATTERN.test(id)) {
      throw invalid;
    }
    const exists = await this.dataSource
      .getRepository(AuditEvent)
      .exists({ where: { id, institutionId } });
    if (!exists) {
      throw invalid;
    }

    return id;
  }
}

function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}
