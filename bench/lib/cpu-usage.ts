import { readFileSync, readdirSync } from 'node:fs';

/** CPU time used so far by this process (all threads) and by the PostgreSQL processes below it. */
export interface CpuSample {
  processMs: number;
  /** Null when PostgreSQL is not a child of this process (a server from DATABASE_URL). */
  postgresMs: number | null;
}

/** CPU time per operation of one run, in milliseconds. */
export interface CpuPerOperation {
  processMs: number;
  postgresMs: number | null;
}

/** Linux reports utime and stime in clock ticks of USER_HZ, which is 100 per second on Linux. */
const MS_PER_TICK = 10;

interface ProcessStat {
  pid: number;
  parentPid: number;
  command: string;
  cpuTicks: number;
}

function readStat(pid: string): ProcessStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command is in parentheses and may contain spaces, so fields are counted after it.
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');

    return {
      pid: Number(pid),
      parentPid: Number(fields[1]),
      command,
      // utime + stime, plus cutime + cstime: the time of exited children that
      // the process has reaped, such as the PostgreSQL backends of closed connections.
      cpuTicks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]),
    };
  } catch {
    return undefined;
  }
}

/** Sums the CPU time of every `postgres` process below this one: the embedded server and its backends. */
function postgresCpuMs(): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return null;
  }
  const stats = entries.map(readStat).filter((stat): stat is ProcessStat => stat !== undefined);
  const below = new Set([process.pid]);
  let found = true;
  while (found) {
    found = false;
    for (const stat of stats) {
      if (!below.has(stat.pid) && below.has(stat.parentPid)) {
        below.add(stat.pid);
        found = true;
      }
    }
  }
  const postgres = stats.filter((stat) => below.has(stat.pid) && stat.command === 'postgres');

  return postgres.length === 0
    ? null
    : postgres.reduce((sum, stat) => sum + stat.cpuTicks, 0) * MS_PER_TICK;
}

export function sampleCpu(): CpuSample {
  const usage = process.cpuUsage();

  return { processMs: (usage.user + usage.system) / 1000, postgresMs: postgresCpuMs() };
}

/**
 * Returns the CPU time per operation since `start`. The time of a PostgreSQL
 * backend that exits during the run counts once the server has reaped it.
 * Linux counts CPU time in 10 ms ticks, so runs of a few hundred short
 * operations give only a rough PostgreSQL figure.
 */
export function cpuPerOperation(start: CpuSample, operations: number): CpuPerOperation {
  const end = sampleCpu();
  const divisor = Math.max(operations, 1);
  const postgresMs =
    start.postgresMs === null || end.postgresMs === null
      ? null
      : Math.max(end.postgresMs - start.postgresMs, 0) / divisor;

  return { processMs: (end.processMs - start.processMs) / divisor, postgresMs };
}
