import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@app/common';

import type { ValidationRecord } from './reports.service';

/** Counts code validations for Prometheus, with the same fields as the usage report. */
@Injectable()
export class ValidationMetrics {
  private readonly validations: Counter<'operation' | 'credential_type' | 'outcome'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.validations = new Counter({
      name: 'vip_validations_total',
      help: 'Security-code validations by operation, credential type and outcome',
      labelNames: ['operation', 'credential_type', 'outcome'],
      registers: [registry],
    });
  }

  record(records: ValidationRecord[]): void {
    for (const record of records) {
      this.validations.inc({
        operation: record.operation,
        credential_type: record.credentialType,
        outcome: record.outcome,
      });
    }
  }
}
