import { parentPort } from 'node:worker_threads';

import { describeError, runClosedLoop } from '../lib/closed-loop';
import { FreshCodePool, totpFromUri } from '../lib/fresh-code-pool';
import { RunMeasurement } from '../lib/stats';
import { VipTcpClient } from '../lib/vip-tcp-client';
import { UpdateBaseline } from './update-baseline';

/** Commands the main thread sends; each gets exactly one reply. */
export type LoadCommand =
  | {
      type: 'setup';
      vipHost: string;
      vipPort: number;
      databaseUrl: string;
      credentials: number;
      poolSize: number;
    }
  | { type: 'authenticate'; operations: number; concurrency: number }
  | { type: 'update'; operations: number; concurrency: number }
  | { type: 'read-then-update'; operations: number; concurrency: number }
  | { type: 'ping'; operations: number; concurrency: number }
  | { type: 'close' };

export type LoadReply =
  | { type: 'log'; line: string }
  | { type: 'done'; measurement?: RunMeasurement }
  | { type: 'failed'; message: string };

interface VipAccount {
  vipUserId: string;
}

const SETUP_CONCURRENCY = 16;

/**
 * Generates the TCP load of the authenticate benchmark and its SQL baseline
 * in a worker thread. The load generator thus has its own event loop, apart
 * from the simulator's in the main thread, as a separate client process
 * would.
 */
class LoadGenerator {
  private client: VipTcpClient | undefined;
  private baseline: UpdateBaseline | undefined;
  private readonly pool = new FreshCodePool<VipAccount>();

  constructor(private readonly log: (line: string) => void) {}

  async setup(command: Extract<LoadCommand, { type: 'setup' }>): Promise<void> {
    this.client = new VipTcpClient(command.vipHost, command.vipPort);
    await this.client.connect();
    const client = this.client;
    const prefix = `bench-auth-${Date.now().toString(36)}`;

    const created = await runClosedLoop({
      operations: command.credentials,
      concurrency: SETUP_CONCURRENCY,
      operation: async (index) => {
        const credential = await client.provisionCredential();
        const vipUserId = `${prefix}-${index}`;
        await client.createUser(vipUserId);
        const account = this.pool.add({ vipUserId }, totpFromUri(credential.otpauthUri));
        const fresh = this.pool.take(account);
        if (!fresh) {
          throw new Error('a new credential has no fresh code');
        }
        try {
          await client.bindCredential(vipUserId, credential.credentialId, fresh.code);
        } finally {
          this.pool.release(account);
        }
      },
    });
    if (created.errors > 0) {
      throw new Error(`credential setup failed ${created.errors} times: ${created.firstError}`);
    }
    this.log(`  ${command.credentials} credentials provisioned, bound and activated`);

    this.baseline = await UpdateBaseline.create(
      command.databaseUrl,
      command.credentials,
      command.poolSize,
    );
  }

  async authenticate(operations: number, concurrency: number): Promise<RunMeasurement> {
    const client = this.requireSetup(this.client);
    await this.pool.waitForCapacity(operations + concurrency, this.log);

    return runClosedLoop({
      operations,
      concurrency,
      operation: async () => {
        const fresh = this.pool.acquire();
        if (!fresh) {
          throw new Error('the code pool ran out of fresh codes in the middle of a run');
        }
        try {
          await client.authenticate(fresh.account.owner.vipUserId, fresh.code);
        } finally {
          this.pool.release(fresh.account);
        }
      },
    });
  }

  /** Sends `vip.ping`, which touches no database: the cost of the TCP transport alone. */
  ping(operations: number, concurrency: number): Promise<RunMeasurement> {
    const client = this.requireSetup(this.client);

    return runClosedLoop({ operations, concurrency, operation: () => client.ping() });
  }

  update(operations: number, concurrency: number): Promise<RunMeasurement> {
    return this.requireSetup(this.baseline).run(operations, concurrency);
  }

  readThenUpdate(operations: number, concurrency: number): Promise<RunMeasurement> {
    return this.requireSetup(this.baseline).runReadThenUpdate(operations, concurrency);
  }

  async close(): Promise<void> {
    await this.client?.close();
    await this.baseline?.close();
  }

  private requireSetup<T>(value: T | undefined): T {
    if (value === undefined) {
      throw new Error('the load worker received a measurement command before setup');
    }

    return value;
  }
}

function handleCommands(): void {
  const port = parentPort;
  if (!port) {
    throw new Error('load-worker.js must run as a worker thread');
  }
  const send = (reply: LoadReply): void => port.postMessage(reply);
  const generator = new LoadGenerator((line) => send({ type: 'log', line }));

  port.on('message', (command: LoadCommand) => {
    const handle = async (): Promise<RunMeasurement | undefined> => {
      switch (command.type) {
        case 'setup':
          await generator.setup(command);
          return undefined;
        case 'authenticate':
          return generator.authenticate(command.operations, command.concurrency);
        case 'update':
          return generator.update(command.operations, command.concurrency);
        case 'read-then-update':
          return generator.readThenUpdate(command.operations, command.concurrency);
        case 'ping':
          return generator.ping(command.operations, command.concurrency);
        case 'close':
          await generator.close();
          return undefined;
      }
    };
    handle().then(
      (measurement) => send({ type: 'done', measurement }),
      (error: unknown) => send({ type: 'failed', message: describeError(error) }),
    );
  });
}

handleCommands();
