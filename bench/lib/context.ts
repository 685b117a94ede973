import { BenchServer } from './database';
import { MachineInfo } from './machine';
import { BenchSettings } from './settings';

/** What every benchmark receives from the runner. */
export interface BenchContext {
  settings: BenchSettings;
  server: BenchServer;
  machine: MachineInfo;
  log: (line: string) => void;
}
