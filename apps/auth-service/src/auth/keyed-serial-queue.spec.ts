import { KeyedSerialQueue } from './keyed-serial-queue';

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('KeyedSerialQueue', () => {
  it('runs tasks of one key one at a time, in order', async () => {
    const queue = new KeyedSerialQueue(10);
    const events: string[] = [];
    const task = (name: string) => async () => {
      events.push(`start ${name}`);
      await delay(10);
      events.push(`end ${name}`);

      return name;
    };
    const deadline = Date.now() + 1_000;

    const results = await Promise.all(
      ['a', 'b', 'c'].map((name) => queue.run('user', deadline, task(name))),
    );

    expect(results.map((result) => result.kind)).toEqual(['ran', 'ran', 'ran']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(queue.activeKeys).toBe(0);
  });

  it('runs tasks of different keys in parallel', async () => {
    const queue = new KeyedSerialQueue(10);
    let running = 0;
    let maxRunning = 0;
    const task = async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await delay(20);
      running -= 1;
    };
    const deadline = Date.now() + 1_000;

    await Promise.all(['x', 'y', 'z'].map((key) => queue.run(key, deadline, task)));

    expect(maxRunning).toBe(3);
  });

  it('rejects tasks beyond the bound', async () => {
    const queue = new KeyedSerialQueue(2);
    const deadline = Date.now() + 1_000;

    const results = await Promise.all(
      [1, 2, 3].map(() => queue.run('user', deadline, () => delay(10))),
    );

    expect(results.map((result) => result.kind)).toEqual(['ran', 'ran', 'queue-full']);
  });

  it('gives up at the deadline without releasing the next early', async () => {
    const queue = new KeyedSerialQueue(10);
    const events: string[] = [];
    const slow = queue.run('user', Date.now() + 1_000, async () => {
      await delay(100);
      events.push('slow done');
    });
    const impatient = queue.run('user', Date.now() + 20, async () => {
      events.push('impatient ran');
    });
    const patient = queue.run('user', Date.now() + 1_000, async () => {
      events.push('patient ran');
    });

    const results = await Promise.all([slow, impatient, patient]);

    expect(results.map((result) => result.kind)).toEqual(['ran', 'wait-timed-out', 'ran']);
    expect(events).toEqual(['slow done', 'patient ran']);
  });
});
