import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';

import { ClientProxy, ClientProxyFactory, JsonSocket } from '@nestjs/microservices';
import { DestinationStream } from 'pino';
import { firstValueFrom, timeout } from 'rxjs';

import { VipError, VipPatternName, vipPattern, vipTcpClientOptions } from '@app/contract';
import { createScratchDatabase, dropScratchDatabase, findFreePort } from '@app/database';

import { VipSimulatorHandle, bootstrapVipSimulator } from '../../apps/vip-simulator/src/bootstrap';

/** Outcome of one TCP request: the successful reply, or the VIP error object. */
export type SendResult<T = unknown> = { ok: true; reply: T } | { ok: false; error: VipError };

export interface TestSimulatorOptions {
  /** Reuse this database instead of creating a scratch one (it is then not dropped on stop). */
  databaseUrl?: string;
  /** Extra settings, such as VIP_LOCK_THRESHOLD. */
  settings?: Partial<Record<string, string>>;
  /** Where the simulator's log lines go; set LOG_LEVEL in settings to see any. */
  logDestination?: DestinationStream;
}

export interface TestSimulator {
  tcpPort: number;
  httpUrl: string;
  databaseUrl: string;
  /** The running app handle, replaced on restart. */
  handle: VipSimulatorHandle;
  /** A connected NestJS TCP client, replaced on restart. */
  client: ClientProxy;
  send<T = unknown>(pattern: VipPatternName, payload: object): Promise<SendResult<T>>;
  /** Stops the app and starts it again on the same ports and database. */
  restart(): Promise<void>;
  /** Stops the app and drops the scratch database when this helper created it. */
  stop(): Promise<void>;
}

/** A fixed AES-256-GCM key for tests (32 bytes as hex). */
export const TEST_VIP_SECRET_KEY = randomBytes(32).toString('hex');

const SEND_TIMEOUT_MS = 10_000;

/** Attempts at a start whose TCP port was taken between choosing and binding it. */
const PORT_ATTEMPTS = 5;

/**
 * Runs `start`, choosing another TCP port when the chosen one was taken
 * before the simulator bound it: another process, or an outgoing
 * connection, can receive the same port from the kernel in between. A port
 * given by the caller is kept.
 */
async function startOnFreePort<T>(
  start: () => Promise<T>,
  settings: Record<string, string>,
  givenPort: string | undefined,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start();
    } catch (error) {
      const portInUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (!portInUse || givenPort !== undefined || attempt === PORT_ATTEMPTS) {
        throw error;
      }
      settings.VIP_TCP_PORT = String(await findFreePort());
    }
  }
}

/**
 * Starts a VIP simulator for a test file: a scratch database on the test
 * PostgreSQL server (or the given one), free TCP and HTTP ports, silent logs.
 */
export async function startTestSimulator(
  options: TestSimulatorOptions = {},
): Promise<TestSimulator> {
  const serverUrl = process.env.TEST_SERVER_URL;
  if (!serverUrl) {
    throw new Error('TEST_SERVER_URL is not set: run the tests through jest and its global setup');
  }
  const ownsDatabase = options.databaseUrl === undefined;
  const databaseUrl = options.databaseUrl ?? (await createScratchDatabase(serverUrl, 'vip'));
  const settings: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    VIP_TCP_HOST: '127.0.0.1',
    VIP_TCP_PORT: String(await findFreePort()),
    VIP_HTTP_HOST: '127.0.0.1',
    VIP_HTTP_PORT: '0',
    VIP_SECRET_KEY: TEST_VIP_SECRET_KEY,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ...(options.settings as Record<string, string> | undefined),
  };

  const start = async (): Promise<{ handle: VipSimulatorHandle; client: ClientProxy }> => {
    const handle = await bootstrapVipSimulator(settings, {
      logDestination: options.logDestination,
    });
    const client = ClientProxyFactory.create(vipTcpClientOptions('127.0.0.1', handle.tcpPort));
    await client.connect();

    return { handle, client };
  };

  let running = await startOnFreePort(start, settings, options.settings?.VIP_TCP_PORT);
  const simulator: TestSimulator = {
    tcpPort: running.handle.tcpPort,
    httpUrl: running.handle.httpUrl,
    databaseUrl,
    handle: running.handle,
    client: running.client,
    async send<T>(pattern: VipPatternName, payload: object): Promise<SendResult<T>> {
      try {
        const reply = await firstValueFrom(
          simulator.client.send<T>(vipPattern(pattern), payload).pipe(timeout(SEND_TIMEOUT_MS)),
        );

        return { ok: true, reply };
      } catch (error) {
        return { ok: false, error: error as VipError };
      }
    },
    async restart() {
      await running.client.close();
      await running.handle.close();
      running = await start();
      simulator.handle = running.handle;
      simulator.client = running.client;
    },
    async stop() {
      await running.client.close();
      await running.handle.close();
      if (ownsDatabase) {
        await dropScratchDatabase(serverUrl, databaseUrl);
      }
    },
  };

  return simulator;
}

/** Connects a NestJS JSON socket to the simulator's TCP port. */
export async function connectRawSocket(tcpPort: number): Promise<JsonSocket> {
  const socket = new JsonSocket(new Socket());
  await new Promise<void>((resolve) => {
    socket.netSocket.once('connect', () => resolve());
    socket.connect(tcpPort, '127.0.0.1');
  });

  return socket;
}

/** Frames a message the way the NestJS TCP client does; without `id` it is an event. */
export function rawFrame(pattern: VipPatternName, payloadJson: string, id?: string): string {
  const idPart = id === undefined ? '' : `,"id":${JSON.stringify(id)}`;
  const message = `{"pattern":${JSON.stringify(JSON.stringify(vipPattern(pattern)))},"data":${payloadJson}${idPart}}`;

  return `${Buffer.byteLength(message)}#${message}`;
}

/**
 * Sends one message whose payload is given as JSON text, on a connection of
 * its own, and returns the decoded reply. It serves payloads that
 * `JSON.stringify` cannot write, such as values nested thousands of levels.
 */
export async function sendRawPayload(
  tcpPort: number,
  pattern: VipPatternName,
  payloadJson: string,
): Promise<{ err?: VipError; response?: unknown }> {
  const socket = await connectRawSocket(tcpPort);
  const reply = new Promise<{ err?: VipError; response?: unknown }>((resolve, reject) => {
    socket.on('message', resolve);
    socket.on('error', reject);
  });
  socket.netSocket.write(rawFrame(pattern, payloadJson, 'raw-1'));
  try {
    return await reply;
  } finally {
    socket.end();
  }
}
