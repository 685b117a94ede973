interface PendingRequest<Request, Result> {
  request: Request;
  keys: string[];
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

export interface StatementBatcherOptions<Request, Result> {
  /** Sends one group as one statement and returns one result per request, in order. */
  run: (requests: Request[]) => Promise<Result[]>;
  /** Maximum number of requests in one group. */
  maxGroupSize: number;
  /** Groups in flight at once. */
  maxGroupsInFlight: number;
  /**
   * Keys of the rows a request changes. Two requests that share a key are
   * never in flight together, so this process's statements do not wait on
   * each other's locks on those rows. Reads need no keys.
   */
  keysOf?: (request: Request) => string[];
}

/**
 * Groups concurrent requests into shared SQL statements without adding delay.
 *
 * A request that arrives while fewer than `maxGroupsInFlight` groups are in
 * flight is sent at once, so a lone caller waits for one round trip. Requests
 * that arrive while the limit is reached queue up and leave together in the
 * next group. Under load, one round trip (and for writes one commit) then
 * serves many requests, so the per-request cost falls as concurrency rises.
 */
export class StatementBatcher<Request, Result> {
  private readonly queue: Array<PendingRequest<Request, Result>> = [];
  private readonly keysInFlight = new Set<string>();
  private groupsInFlight = 0;

  constructor(private readonly options: StatementBatcherOptions<Request, Result>) {}

  submit(request: Request): Promise<Result> {
    const keys = this.options.keysOf?.(request) ?? [];

    return new Promise((resolve, reject) => {
      this.queue.push({ request, keys, resolve, reject });
      this.sendWaitingGroups();
    });
  }

  private sendWaitingGroups(): void {
    while (this.groupsInFlight < this.options.maxGroupsInFlight && this.queue.length > 0) {
      const group = this.takeGroup();
      if (group.length === 0) {
        return;
      }
      this.groupsInFlight += 1;
      void this.send(group).finally(() => {
        this.groupsInFlight -= 1;
        for (const pending of group) {
          pending.keys.forEach((key) => this.keysInFlight.delete(key));
        }
        this.sendWaitingGroups();
      });
    }
  }

  /** Takes queued requests in arrival order, skipping those that share a key with one in flight. */
  private takeGroup(): Array<PendingRequest<Request, Result>> {
    const group: Array<PendingRequest<Request, Result>> = [];
    const waiting: Array<PendingRequest<Request, Result>> = [];
    for (const pending of this.queue) {
      const free = pending.keys.every((key) => !this.keysInFlight.has(key));
      if (group.length < this.options.maxGroupSize && free) {
        pending.keys.forEach((key) => this.keysInFlight.add(key));
        group.push(pending);
      } else {
        waiting.push(pending);
      }
    }
    this.queue.splice(0, this.queue.length, ...waiting);

    return group;
  }

  private async send(group: Array<PendingRequest<Request, Result>>): Promise<void> {
    let results: Result[];
    try {
      results = await this.options.run(group.map((pending) => pending.request));
    } catch (error) {
      group.forEach((pending) => pending.reject(error));

      return;
    }
    group.forEach((pending, index) => pending.resolve(results[index]));
  }
}
