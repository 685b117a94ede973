import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

import { RunMeasurement } from '../lib/stats';
import type { LoadCommand, LoadReply } from './load-worker';

/** Sends commands to the load worker thread one at a time and waits for each reply. */
export class LoadWorkerClient {
  private readonly worker: Worker;
  private pending:
    | { resolve: (value: RunMeasurement | undefined) => void; reject: (error: Error) => void }
    | undefined;

  constructor(log: (line: string) => void) {
    this.worker = new Worker(join(__dirname, 'load-worker.js'));
    this.worker.on('message', (reply: LoadReply) => {
      if (reply.type === 'log') {
        log(reply.line);
        return;
      }
      const pending = this.pending;
      this.pending = undefined;
      if (reply.type === 'done') {
        pending?.resolve(reply.measurement);
      } else {
        pending?.reject(new Error(`load worker: ${reply.message}`));
      }
    });
    this.worker.on('error', (error) => {
      this.pending?.reject(error);
      this.pending = undefined;
    });
  }

  send(command: LoadCommand): Promise<RunMeasurement | undefined> {
    if (this.pending) {
      return Promise.reject(new Error('the load worker is still busy with the previous command'));
    }

    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(command);
    });
  }

  async measure(command: LoadCommand): Promise<RunMeasurement> {
    const measurement = await this.send(command);
    if (!measurement) {
      throw new Error(`the load worker returned no measurement for "${command.type}"`);
    }

    return measurement;
  }

  async close(): Promise<void> {
    await this.send({ type: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }
}
