import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { entityFromRow, entitySelectList } from '@app/database';

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

  /**
   * Reads one page as a plain statement, because the admin pages run it on
   * every request and TypeORM's query builder and result transformer cost
   * more CPU than the statement. Filters become positional parameters.
   */
  async findPage(filter: AuditEventFilter): Promise<AuditEventPage> {
    const table = this.dataSource.getMetadata(AuditEvent).tablePath;
    const parameters: unknown[] = [filter.institutionId];
    const conditions = ['e.institution_id = $1'];
    const addCondition = (condition: (placeholder: string) => string, value: unknown) => {
      parameters.push(value);
      conditions.push(condition(`$${parameters.length}`));
    };

    if (filter.targetUserId) {
      addCondition((placeholder) => `e.target_user_id = ${placeholder}`, filter.targetUserId);
    }
    if (filter.type) {
      addCondition((placeholder) => `e.type = ${placeholder}`, filter.type);
    }
    if (filter.from) {
      addCondition((placeholder) => `e.occurred_at >= ${placeholder}`, filter.from);
    }
    if (filter.to) {
      addCondition((placeholder) => `e.occurred_at < ${placeholder}`, filter.to);
    }
    if (filter.cursor) {
      const cursorId = await this.resolveCursor(filter.cursor, filter.institutionId);
      // The comparison runs on the stored timestamps, which have microsecond
      // precision; a JavaScript Date would round them to milliseconds.
      addCondition(
        (placeholder) =>
          `(e.occurred_at, e.id) < (SELECT c.occurred_at, c.id FROM ${table} c WHERE c.id = ${placeholder})`,
        cursorId,
      );
    }
    parameters.push(filter.limit + 1);

    const rows = (await this.dataSource.query(
      `SELECT ${entitySelectList(this.dataSource, AuditEvent, 'e', '')}
         FROM ${table} e
        WHERE ${conditions.join(' AND ')}
        ORDER BY e.occurred_at DESC, e.id DESC
        LIMIT $${parameters.length}`,
      parameters,
    )) as Array<Record<string, unknown>>;
    const events = rows.map((row) => entityFromRow(this.dataSource, AuditEvent, row, ''));
    const items = events.slice(0, filter.limit);
    const hasMore = events.length > filter.limit;

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
    const found = (await this.dataSource.query(
      `SELECT 1 FROM ${this.dataSource.getMetadata(AuditEvent).tablePath}
        WHERE id = $1 AND institution_id = $2`,
      [id, institutionId],
    )) as unknown[];
    if (found.length === 0) {
      throw invalid;
    }

    return id;
  }
}

function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}
