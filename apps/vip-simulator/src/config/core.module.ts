import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';

import { TcpMetrics } from '../common/tcp-metrics';
import { SecretCipher } from '../totp/secret-cipher';
import { TemporaryCodeHasher } from '../vip-users/temporary-code-hasher';
import { SimulatorConfig, decodeSecretKey } from './simulator-config';
import { SIMULATOR_CONFIG } from './simulator-config.provider';

/**
 * Provides the validated configuration, the keyed primitives derived from it
 * and the TCP metrics to every module.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: SimulatorConfig): DynamicModule {
    const secretKey = decodeSecretKey(config.VIP_SECRET_KEY);

    return {
      module: CoreModule,
      // ConfigService serves the same validated values as SIMULATOR_CONFIG.
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ ...config })] })],
      providers: [
        { provide: SIMULATOR_CONFIG, useValue: config },
        { provide: SecretCipher, useValue: new SecretCipher(secretKey) },
        { provide: TemporaryCodeHasher, useValue: new TemporaryCodeHasher(secretKey) },
        TcpMetrics,
      ],
      exports: [ConfigModule, SIMULATOR_CONFIG, SecretCipher, TemporaryCodeHasher, TcpMetrics],
    };
  }
}
