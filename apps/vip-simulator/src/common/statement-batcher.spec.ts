import { StatementBatcher } from './statement-batcher';

/** A run function whose calls stay pending until the test settles them. */
function controlledRun() {
  const calls: Array<{
    requests: string[];
    resolve: (results: string[]) => void;
    reject: (error: Error) => void;
  }> = [];
  const run = (requests: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({ requests, resolve, reject });
    });

  return { calls, run };
}

/** Lets settled groups run their clean-up, which sends the next group. */
function flushPromises(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function echo(requests: string[]): string[] {
  return requests.map((request) => `result of ${request}`);
}

describe('StatementBatcher', () => {
  it('sends a lone request at once', async () => {
    const { calls, run } = controlledRun();
    const batcher = new StatementBatcher({ run, maxGroupSize: 10, maxGroupsInFlight: 1 });

    const result = batcher.submit('a');

    expect(calls.map((call) => call.requests)).toEqual([['a']]);
    calls[0].resolve(echo(calls[0].requests));
    await expect(result).resolves.toBe('result of a');
  });

  it('groups requests that wait for a group in flight', async () => {
    const { calls, run } = controlledRun();
    const batcher = new StatementBatcher({ run, maxGroupSize: 10, maxGroupsInFlight: 1 });

    const results = ['a', 'b', 'c', 'd'].map((request) => batcher.submit(request));
    expect(calls.map((call) => call.requests)).toEqual([['a']]);
    calls[0].resolve(echo(calls[0].requests));
    await flushPromises();

    expect(calls.map((call) => call.requests)).toEqual([['a'], ['b', 'c', 'd']]);
    calls[1].resolve(echo(calls[1].requests));
    await expect(Promise.all(results)).resolves.toEqual([
      'result of a',
      'result of b',
      'result of c',
      'result of d',
    ]);
  });

  it('keeps groups within the maximum size', async () => {
    const { calls, run } = controlledRun();
    const batcher = new StatementBatcher({ run, maxGroupSize: 2, maxGroupsInFlight: 1 });

    const results = ['a', 'b', 'c', 'd', 'e'].map((request) => batcher.submit(request));
    for (let index = 0; index < 3; index += 1) {
      calls[index].resolve(echo(calls[index].requests));
      await flushPromises();
    }
    await Promise.all(results);

    expect(calls.map((call) => call.requests)).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
  });

  it('sends up to the limit of groups in flight', () => {
    const { calls, run } = controlledRun();
    const batcher = new StatementBatcher({ run, maxGroupSize: 10, maxGroupsInFlight: 2 });

    ['a', 'b', 'c'].forEach((request) => void batcher.submit(request));

    expect(calls.map((call) => call.requests)).toEqual([['a'], ['b']]);
  });

  it('never has two requests with one key in flight', async () => {
    const { calls, run } = controlledRun();
    const batcher = new StatementBatcher({
      run,
      maxGroupSize: 10,
      maxGroupsInFlight: 2,
      keysOf: (request: string) => [request.split(':')[0]],
    });

    const results = ['x:1', 'x:2', 'y:1', 'x:3'].map((request) => batcher.submit(request));
    expect(calls.map((call) => call.requests)).toEqual([['x:1'], ['y:1']]);
    calls[0].resolve(echo(calls[0].requests));
    await flushPromises();

    expect(calls.map((call) => call.requests)).toEqual([['x:1'], ['y:1'], ['x:2']]);
    calls[1].resolve(echo(calls[1].requests));
    calls[2].resolve(echo(calls[2].requests));
    await flushPromises();

    expect(calls.map((call) => call.requests)).toEqual([['x:1'], ['y:1'], ['x:2'], ['x:3']]);
    calls[3].resolve(echo(calls[3].requests));
    await expect(results[3]).resolves.toBe('result of x:3');
  });

  it('rejects every request of a failed group and goes on', async () => {
    const { calls, run } = controlledRun();
    const batcher = new StatementBatcher({ run, maxGroupSize: 10, maxGroupsInFlight: 1 });

    const first = batcher.submit('a');
    const waiting = [batcher.submit('b'), batcher.submit('c')];
    calls[0].reject(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await flushPromises();

    expect(calls.map((call) => call.requests)).toEqual([['a'], ['b', 'c']]);
    calls[1].reject(new Error('connection lost again'));
    await expect(Promise.all(waiting)).rejects.toThrow('connection lost again');
    await flushPromises();
    const later = batcher.submit('d');
    expect(calls.map((call) => call.requests)).toEqual([['a'], ['b', 'c'], ['d']]);
    calls[2].resolve(echo(calls[2].requests));
    await expect(later).resolves.toBe('result of d');
  });
});
