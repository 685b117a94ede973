/** Result of KeyedSerialQueue.run: the task's value, or why the task did not run. */
export type QueuedResult<T> =
  { kind: 'ran'; value: T } | { kind: 'queue-full' } | { kind: 'wait-timed-out' };

interface KeyState {
  /** Settles when the last task queued for the key has finished or given up. */
  tail: Promise<void>;
  /** Tasks of the key that are running or waiting. */
  pending: number;
}

/**
 * Runs tasks one at a time per key, in arrival order, inside this process.
 * A task waits at most until its deadline for the tasks before it, and at
 * most `maxPending` tasks (running or waiting) are held per key. A task that
 * gives up does not hold back the tasks behind it: they still wait for the
 * task that is running.
 */
export class KeyedSerialQueue {
  private readonly keys = new Map<string, KeyState>();

  constructor(private readonly maxPending: number) {}

  async run<T>(key: string, deadline: number, task: () => Promise<T>): Promise<QueuedResult<T>> {
    let state = this.keys.get(key);
    if (!state) {
      state = { tail: Promise.resolve(), pending: 0 };
      this.keys.set(key, state);
    }
    if (state.pending >= this.maxPending) {
      return { kind: 'queue-full' };
    }

    state.pending += 1;
    const previous = state.tail;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    state.tail = previous.then(() => finished);
    try {
      if (!(await settlesBefore(previous, deadline))) {
        return { kind: 'wait-timed-out' };
      }

      return { kind: 'ran', value: await task() };
    } finally {
      finish();
      state.pending -= 1;
      if (state.pending === 0) {
        this.keys.delete(key);
      }
    }
  }

  /** Number of keys with a running or waiting task. */
  get activeKeys(): number {
    return this.keys.size;
  }
}

/** Waits for `promise` until `deadline` (epoch ms). Returns false when the deadline came first. */
async function settlesBefore(promise: Promise<void>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([promise.then(() => true as const), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
