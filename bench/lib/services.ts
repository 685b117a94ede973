import { randomBytes } from 'node:crypto';

import { AuthServiceHandle, bootstrapAuthService } from '../../apps/auth-service/src/bootstrap';
import { VipSimulatorHandle, bootstrapVipSimulator } from '../../apps/vip-simulator/src/bootstrap';

/** Both services started in this process, as the end-to-end tests start them. */
export interface RunningServices {
  simulator: VipSimulatorHandle;
  auth: AuthServiceHandle;
  operatorApiKey: string;
  close(): Promise<void>;
}

export interface ServiceOptions {
  databaseUrl: string;
  logLevel: string;
  bcryptCost: number;
}

/** Starts the simulator with free ports and a fresh secret key. */
export function startSimulator(databaseUrl: string, logLevel: string): Promise<VipSimulatorHandle> {
  return bootstrapVipSimulator({
    DATABASE_URL: databaseUrl,
    VIP_TCP_HOST: '127.0.0.1',
    VIP_TCP_PORT: '0',
    VIP_HTTP_HOST: '127.0.0.1',
    VIP_HTTP_PORT: '0',
    VIP_SECRET_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: logLevel,
    NODE_ENV: 'production',
  });
}

/** Starts the simulator, then the auth service pointed at it, both on free ports. */
export async function startServices(options: ServiceOptions): Promise<RunningServices> {
  const simulator = await startSimulator(options.databaseUrl, options.logLevel);
  const operatorApiKey = randomBytes(24).toString('base64url');
  let auth: AuthServiceHandle;
  try {
    auth = await bootstrapAuthService({
      DATABASE_URL: options.databaseUrl,
      AUTH_HTTP_HOST: '127.0.0.1',
      AUTH_HTTP_PORT: '0',
      VIP_TCP_HOST: '127.0.0.1',
      VIP_TCP_PORT: String(simulator.tcpPort),
      VIP_MANAGER_URL: `${simulator.httpUrl}/manager`,
      OPERATOR_API_KEY: operatorApiKey,
      SERVICE_API_KEY: randomBytes(24).toString('base64url'),
      BCRYPT_COST: String(options.bcryptCost),
      // Every benchmark request comes from 127.0.0.1, so the per-IP and
      // per-username limits are raised to their maximum; the limiter still
      // counts every request.
      RATE_LIMIT_PER_IP: '1000000',
      RATE_LIMIT_PER_USERNAME: '1000000',
      LOG_LEVEL: options.logLevel,
      NODE_ENV: 'production',
    });
  } catch (error) {
    await simulator.close();
    throw error;
  }

  return {
    simulator,
    auth,
    operatorApiKey,
    async close() {
      await auth.close();
      await simulator.close();
    },
  };
}
