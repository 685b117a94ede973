import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory } from '@nestjs/microservices';
import { TimeoutError, firstValueFrom, timeout } from 'rxjs';

import {
  VipPatternName,
  VipReply,
  VipStatusCode,
  isVipError,
  vipPattern,
  vipTcpClientOptions,
} from '@app/contract';

import { AuthConfig } from '../config/auth-config';
import { AuthMetrics } from '../metrics/auth-metrics';

/** Reason a call produced no VIP reply at all. */
export enum VipTransportFailure {
  Timeout = 'VIP_TIMEOUT',
  Unreachable = 'VIP_UNREACHABLE',
  UnexpectedReply = 'VIP_UNEXPECTED_REPLY',
}

export type VipCallResult<T> =
  | { kind: 'success'; data: T }
  | { kind: 'vip-error'; status: Exclude<VipStatusCode, '0000'>; message: string }
  | { kind: 'transport-failure'; failure: VipTransportFailure; message: string };

/**
 * Client of the VIP simulator's TCP API. Every call ends within VIP_TIMEOUT_MS
 * and returns a result instead of throwing, so callers decide how each outcome
 * counts.
 */
@Injectable()
export class VipClient implements OnApplicationShutdown {
  private readonly logger = new Logger(VipClient.name);
  private client: ClientProxy;

  constructor(
    private readonly config: AuthConfig,
    private readonly metrics: AuthMetrics,
  ) {
    this.client = this.createClient();
  }

  /** Sends one request and records its duration and outcome in the metrics. */
  async send<T>(
    pattern: VipPatternName,
    payload: Record<string, unknown>,
  ): Promise<VipCallResult<T>> {
    const startedAt = performance.now();
    const result = await this.sendOnce<T>(pattern, payload);
    const seconds = (performance.now() - startedAt) / 1000;
    switch (result.kind) {
      case 'success':
        this.metrics.recordVipRequest(pattern, '0000', seconds, false);
        break;
      case 'vip-error':
        // 65xx statuses mean VIP could not process the request at all.
        this.metrics.recordVipRequest(pattern, result.status, seconds, /^65/.test(result.status));
        break;
      case 'transport-failure':
        this.metrics.recordVipRequest(pattern, result.failure, seconds, true);
        break;
    }

    return result;
  }

  private async sendOnce<T>(
    pattern: VipPatternName,
    payload: Record<string, unknown>,
  ): Promise<VipCallResult<T>> {
    try {
      const reply = await firstValueFrom(
        this.client
          .send<VipReply<T>>(vipPattern(pattern), payload)
          .pipe(timeout({ first: this.config.VIP_TIMEOUT_MS })),
      );
      if (reply?.status !== '0000') {
        return this.transportFailure(pattern, VipTransportFailure.UnexpectedReply, 'no status');
      }

      return { kind: 'success', data: reply.data };
    } catch (error) {
      return this.classifyError(pattern, error);
    }
  }

  /**
   * Closes the connection after the HTTP server has stopped, because NestJS
   * runs this hook after the server's in-flight requests have finished, and
   * those may still be waiting for VIP.
   */
  onApplicationShutdown(): void {
    this.client.close();
  }

  private classifyError<T>(pattern: VipPatternName, error: unknown): VipCallResult<T> {
    if (isVipError(error)) {
      return { kind: 'vip-error', status: error.status, message: error.message };
    }
    if (error instanceof TimeoutError) {
      return this.transportFailure(
        pattern,
        VipTransportFailure.Timeout,
        `no reply in ${this.config.VIP_TIMEOUT_MS} ms`,
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' || message === 'Connection closed') {
      // A socket error can leave the client's connection half-open. A fresh
      // client opens a new socket on the next call, so recovery needs no restart.
      this.recreateClient();

      return this.transportFailure(pattern, VipTransportFailure.Unreachable, message);
    }

    return this.transportFailure(pattern, VipTransportFailure.UnexpectedReply, message);
  }

  private transportFailure<T>(
    pattern: VipPatternName,
    failure: VipTransportFailure,
    message: string,
  ): VipCallResult<T> {
    this.logger.warn({ pattern, failure, error: message }, 'VIP simulator call failed');

    return { kind: 'transport-failure', failure, message };
  }

  private createClient(): ClientProxy {
    return ClientProxyFactory.create(
      vipTcpClientOptions(this.config.VIP_TCP_HOST, this.config.VIP_TCP_PORT),
    );
  }

  private recreateClient(): void {
    const old = this.client;
    this.client = this.createClient();
    old.close();
  }
}
