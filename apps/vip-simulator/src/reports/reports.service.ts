import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import {
  CredentialType,
  UsageReport,
  UsageReportRow,
  ValidationOutcome,
  VipStatus,
} from '@app/contract';

import { VipException } from '../common/vip.exception';
import { CredentialEntity } from '../credentials/credential.entity';
import { ValidationEventEntity, ValidationOperation } from './validation-event.entity';
import { ValidationMetrics } from './validation-metrics';

/** Maximum number of days in one usage report. */
export const MAX_REPORT_DAYS = 366;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ValidationRecord {
  operation: ValidationOperation;
  vipUserId: string | null;
  credentialId: string | null;
  credentialType: CredentialType | 'TEMPORARY_CODE';
  outcome: ValidationOutcome;
}

function parseDay(value: string, field: string): number {
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw new VipException(VipStatus.InvalidRequest, `${field} must be a real calendar date`);
  }

  return ms;
}

/** Records validations and builds usage reports from them. */
@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);

  constructor(
    @InjectRepository(ValidationEventEntity)
    private readonly events: Repository<ValidationEventEntity>,
    @InjectRepository(CredentialEntity)
    private readonly credentials: Repository<CredentialEntity>,
    private readonly metrics: ValidationMetrics,
  ) {}

  /**
   * Stores validation events and counts them in the metrics. A failure to
   * store is logged and not raised, because the validation it describes has
   * already been decided and stored.
   */
  async record(records: ValidationRecord[]): Promise<void> {
    if (records.length === 0) {
      return;
    }
    this.metrics.record(records);
    try {
      await this.events.insert(records);
    } catch (error) {
      this.logger.error(
        { err: error, events: records },
        'Failed to store validation events for the usage report',
      );
    }
  }

  /** Counts validations per UTC day, credential type and outcome over [from, to], both inclusive. */
  async usageReport(from: string, to: string): Promise<UsageReport> {
    const fromMs = parseDay(from, 'from');
    const toMs = parseDay(to, 'to');
    if (toMs < fromMs) {
      throw new VipException(VipStatus.InvalidRequest, 'to must not be before from');
    }
    if ((toMs - fromMs) / DAY_MS + 1 > MAX_REPORT_DAYS) {
      throw new VipException(
        VipStatus.InvalidRequest,
        `the date range must cover at most ${MAX_REPORT_DAYS} days`,
      );
    }
    const start = new Date(fromMs);
    const end = new Date(toMs + DAY_MS);

    const rows = await this.events
      .createQueryBuilder('event')
      .select(`to_char(event.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`, 'day')
      .addSelect('event.credential_type', 'credentialType')
      .addSelect('event.outcome', 'outcome')
      .addSelect('count(*)::int', 'count')
      .where('event.occurred_at >= :start AND event.occurred_at < :end', { start, end })
      .groupBy('day')
      .addGroupBy('event.credential_type')
      .addGroupBy('event.outcome')
      .orderBy('day')
      .addOrderBy('"credentialType"')
      .addOrderBy('outcome')
      .getRawMany<UsageReportRow>();

    const credentials = await this.credentials
      .createQueryBuilder('credential')
      .select(['credential.credentialId', 'credential.type', 'credential.lastValidatedAt'])
      .where(
        `credential.credential_id IN (SELECT event.credential_id FROM ${this.events.metadata.tablePath} event
          WHERE event.occurred_at >= :start AND event.occurred_at < :end)`,
        { start, end },
      )
      .orderBy('credential.credential_id')
      .getMany();

    return {
      from,
      to,
      rows,
      credentials: credentials.map((credential) => ({
        credentialId: credential.credentialId,
        type: credential.type,
        lastValidatedAt: credential.lastValidatedAt?.toISOString() ?? null,
      })),
    };
  }
}
