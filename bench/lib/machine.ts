import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

import { Client } from 'pg';

/** The hardware and software a set of results was measured on. */
export interface MachineInfo {
  /** Logical CPUs this process may use (what `nproc` prints). */
  cpus: number;
  cpuModel: string;
  memoryTotalMiB: number;
  nodeVersion: string;
  postgresVersion: string;
  /** libuv thread pool size: the number of bcrypt hashes that can run at once. */
  uvThreadpoolSize: number;
  /** 1-minute load average when the benchmark started; other work on a shared machine shows here. */
  loadAverageAtStart: number;
}

function readCpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('model name'));

    return line ? line.split(':')[1].trim() : 'unknown';
  } catch {
    return 'unknown (no /proc/cpuinfo)';
  }
}

function readMemoryTotalMiB(): number {
  try {
    const line = readFileSync('/proc/meminfo', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('MemTotal:'));

    return line ? Math.round(Number.parseInt(line.replace(/\D+/g, ''), 10) / 1024) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export async function describeMachine(databaseUrl: string): Promise<MachineInfo> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  let postgresVersion: string;
  try {
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    postgresVersion = result.rows[0].server_version;
  } finally {
    await client.end();
  }

  return {
    cpus: availableParallelism(),
    cpuModel: readCpuModel(),
    memoryTotalMiB: readMemoryTotalMiB(),
    nodeVersion: process.version,
    postgresVersion,
    uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
    loadAverageAtStart: loadavg()[0],
  };
}
