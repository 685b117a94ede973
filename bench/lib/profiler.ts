import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/**
 * Runs `work` under V8's sampling CPU profiler of this thread when
 * `BENCH_PROFILE_DIR` is set, and writes `<label>.cpuprofile` there. The
 * services under test run in this thread, so the profile shows their work
 * during the measured runs only, without set-up and without the load
 * generator's worker thread. `node dist/bench/profile-summary.js FILE`
 * summarizes the file.
 */
export async function profiled<T>(label: string, work: () => Promise<T>): Promise<T> {
  const directory = process.env.BENCH_PROFILE_DIR;
  if (!directory) {
    return work();
  }
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, `${label}.cpuprofile`), JSON.stringify(profile));
  }
}
