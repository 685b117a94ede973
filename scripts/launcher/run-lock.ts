import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface RunRecord {
  launcherPid: number;
  servicePids: number[];
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);

    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (isAlive(pid) && Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, 50));
  }
}

function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/**
 * The launcher's record of itself and its service processes, kept in the data
 * folder. A record whose launcher is gone was left by a crash or `kill -9`;
 * its services, if still running, hold the ports and are stopped.
 */
export class RunLock {
  private readonly file: string;
  private record: RunRecord = { launcherPid: process.pid, servicePids: [] };

  constructor(dataDir: string) {
    this.file = join(dataDir, 'launcher.json');
  }

  async acquire(log: (line: string) => void): Promise<void> {
    if (existsSync(this.file)) {
      const previous = JSON.parse(readFileSync(this.file, 'utf8')) as RunRecord;
      if (previous.launcherPid !== process.pid && isAlive(previous.launcherPid)) {
        const command = commandLineOf(previous.launcherPid);
        if (command.includes('scripts/start')) {
          throw new Error(
            `Another "npm start" is running (pid ${previous.launcherPid}). Stop it first, ` +
              'or set DATA_DIR to run a second copy with its own data.',
          );
        }
      }
      log('Found the record of an earlier run that did not stop cleanly');
      for (const pid of previous.servicePids) {
        if (isAlive(pid) && commandLineOf(pid).includes('dist/apps/')) {
          log(`Stopping leftover service process ${pid} from that run`);
          process.kill(pid, 'SIGKILL');
          await waitForExit(pid);
        }
      }
    }
    this.save();
  }

  addService(pid: number): void {
    this.record.servicePids.push(pid);
    this.save();
  }

  release(): void {
    rmSync(this.file, { force: true });
  }

  private save(): void {
    writeFileSync(this.file, JSON.stringify(this.record) + '\n');
  }
}
