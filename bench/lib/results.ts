import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { MachineInfo } from './machine';

/** Project root: this file runs from dist/bench/lib/. */
export const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
export const RESULTS_FILE = join(PROJECT_ROOT, 'bench', 'results', 'latest.json');

/** One target from the benchmark's definition, checked against the measured median. */
export interface TargetCheck {
  target: string;
  measured: number;
  limit: number;
  comparison: '>=' | '<=';
  unit: string;
  met: boolean;
}

export interface BenchmarkResult {
  name: string;
  measuredAt: string;
  machine: MachineInfo;
  settings: Record<string, unknown>;
  targets: TargetCheck[];
  data: unknown;
}

export interface ResultsFile {
  updatedAt: string;
  benchmarks: Record<string, BenchmarkResult>;
}

export function checkTarget(
  target: string,
  measured: number,
  comparison: '>=' | '<=',
  limit: number,
  unit: string,
): TargetCheck {
  const met = comparison === '>=' ? measured >= limit : measured <= limit;

  return { target, measured, limit, comparison, unit, met };
}

export function readResults(): ResultsFile {
  if (!existsSync(RESULTS_FILE)) {
    return { updatedAt: new Date(0).toISOString(), benchmarks: {} };
  }

  return JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as ResultsFile;
}

/**
 * Stores one benchmark's result in bench/results/latest.json and keeps the
 * others, so running a single benchmark does not erase the rest. The file is
 * written to a temporary name first and renamed, so an interrupted run never
 * leaves half a file.
 */
export function saveResult(result: BenchmarkResult): ResultsFile {
  const results = readResults();
  results.benchmarks[result.name] = result;
  results.updatedAt = new Date().toISOString();

  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  const temporaryFile = `${RESULTS_FILE}.tmp`;
  writeFileSync(temporaryFile, JSON.stringify(results, null, 2) + '\n');
  renameSync(temporaryFile, RESULTS_FILE);

  return results;
}
