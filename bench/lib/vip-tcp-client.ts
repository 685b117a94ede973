import { ClientProxy, ClientProxyFactory } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';

import {
  AuthenticateReply,
  BindReply,
  CredentialType,
  PingReply,
  ProvisionedCredential,
  VipPattern,
  VipPatternName,
  VipReply,
  VipUserInfo,
  vipPattern,
  vipTcpClientOptions,
} from '@app/contract';

import { describeError } from './closed-loop';

/**
 * A NestJS ClientTCP for the simulator's TCP API, with the calls the benchmarks
 * make. It has the auth service's client options.
 */
export class VipTcpClient {
  private readonly client: ClientProxy;

  constructor(
    host: string,
    port: number,
    private readonly timeoutMs = 10_000,
  ) {
    this.client = ClientProxyFactory.create(vipTcpClientOptions(host, port));
  }

  connect(): Promise<void> {
    return this.client.connect();
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  provisionCredential(): Promise<ProvisionedCredential> {
    return this.call<ProvisionedCredential>(VipPattern.ProvisionCredential, {
      type: CredentialType.Mobile,
    });
  }

  createUser(vipUserId: string): Promise<VipUserInfo> {
    return this.call<VipUserInfo>(VipPattern.CreateUser, { vipUserId });
  }

  bindCredential(vipUserId: string, credentialId: string, code: string): Promise<BindReply> {
    return this.call<BindReply>(VipPattern.BindCredential, { vipUserId, credentialId, code });
  }

  async ping(): Promise<void> {
    await this.call<PingReply>(VipPattern.Ping, {});
  }

  authenticate(vipUserId: string, code: string): Promise<AuthenticateReply> {
    return this.call<AuthenticateReply>(VipPattern.Authenticate, { vipUserId, code });
  }

  /** Sends one request and returns the reply's data; a VIP error object becomes an Error. */
  private async call<T>(pattern: VipPatternName, payload: object): Promise<T> {
    try {
      const reply = await firstValueFrom(
        this.client
          .send<VipReply<T>>(vipPattern(pattern), payload)
          .pipe(timeout({ first: this.timeoutMs })),
      );
      if (reply.status !== '0000') {
        throw new Error(`unexpected reply status ${String(reply.status)}`);
      }

      return reply.data;
    } catch (error) {
      throw new Error(`${pattern} failed: ${describeError(error)}`);
    }
  }
}
