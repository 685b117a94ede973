import { Inject, Injectable } from '@nestjs/common';
import { Histogram, Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@app/common';

/** Duration and outcome of every TCP message the simulator handles. */
@Injectable()
export class TcpMetrics {
  private readonly duration: Histogram<'pattern' | 'status'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.duration = new Histogram({
      name: 'vip_tcp_request_duration_seconds',
      help: 'Duration of TCP requests by pattern and the VIP status of the reply',
      labelNames: ['pattern', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    });
  }

  /** Records one message; `status` is the VIP status, or "unexpected" for an error without one. */
  record(pattern: string, status: string, seconds: number): void {
    this.duration.observe({ pattern, status }, seconds);
  }
}
