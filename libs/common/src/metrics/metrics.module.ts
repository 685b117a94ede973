import {
  Controller,
  DynamicModule,
  Get,
  Header,
  Inject,
  Injectable,
  MiddlewareConsumer,
  Module,
  NestMiddleware,
  NestModule,
  RequestMethod,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Injection token of the service's own prom-client registry. */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

const HTTP_DURATION = 'http_request_duration_seconds';

/** Records the duration of every HTTP request by method, matched route and status code. */
@Injectable()
class HttpMetricsMiddleware implements NestMiddleware {
  private readonly histogram: Histogram<'method' | 'route' | 'status_code'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.histogram = registry.getSingleMetric(HTTP_DURATION) as Histogram<
      'method' | 'route' | 'status_code'
    >;
  }

  use(request: Request, response: Response, next: NextFunction): void {
    const stopTimer = this.histogram.startTimer({ method: request.method });
    response.on('finish', () => {
      // The route pattern, never the raw URL, keeps the label set small.
      const routePath = (request.route as { path?: string } | undefined)?.path;
      const route = routePath ? `${request.baseUrl}${routePath}` : 'unmatched';
      stopTimer({ route, status_code: String(response.statusCode) });
    });
    next();
  }
}

@ApiExcludeController()
@Controller('metrics')
class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.registry.metrics();
  }
}

/**
 * Prometheus metrics at GET /metrics: process metrics, HTTP request durations
 * and whatever the service registers on the injected registry. Each app gets
 * its own registry, so two apps in one process do not share counters.
 */
@Module({})
export class MetricsModule implements NestModule {
  static forRoot(serviceName: string): DynamicModule {
    const registryProvider = {
      provide: METRICS_REGISTRY,
      useFactory: () => {
        const registry = new Registry();
        registry.setDefaultLabels({ service: serviceName });
        collectDefaultMetrics({ register: registry });
        new Histogram({
          name: HTTP_DURATION,
          help: 'Duration of HTTP requests in seconds',
          labelNames: ['method', 'route', 'status_code'],
          buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
          registers: [registry],
        });

        return registry;
      },
    };

    return {
      module: MetricsModule,
      global: true,
      controllers: [MetricsController],
      providers: [registryProvider, HttpMetricsMiddleware],
      exports: [registryProvider],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // '{*path}' is the path-to-regexp 8 wildcard of NestJS 11. A bare '*' still
    // works but logs a "legacy route" warning at every start.
    consumer.apply(HttpMetricsMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
