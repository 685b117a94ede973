import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { ComparedLevel } from './comparison';
import { PROJECT_ROOT, ResultsFile } from './results';
import { PlotPanel, renderPlot } from './svg-plot';

export const PLOT_FILE = join(PROJECT_ROOT, 'docs', 'benchmarks-concurrency.svg');

const PRODUCT_COLOR = '#1f77b4';
const PRODUCT_TAIL_COLOR = '#d62728';
const BASELINE_COLOR = '#2ca02c';
const BASELINE_TAIL_COLOR = '#ff7f0e';

interface ComparedBenchmark {
  levels: ComparedLevel[];
  /** Authenticate only: the SELECT-then-UPDATE floor at each concurrency. */
  readThenUpdate?: Array<{ concurrency: number; medianThroughput: number }>;
  /** Authenticate only: vip.ping over the same TCP client at each concurrency. */
  ping?: Array<{ concurrency: number; medianThroughput: number }>;
}

const FLOOR_COLOR = '#9467bd';
const TRANSPORT_FLOOR_COLOR = '#8c564b';

function throughputPanel(title: string, unit: string, levels: ComparedLevel[], names: string[]) {
  const panel: PlotPanel = {
    title,
    xLabel: 'concurrency (requests in flight)',
    yLabel: unit,
    series: [
      {
        name: names[0],
        color: PRODUCT_COLOR,
        points: levels.map((level) => ({
          x: level.concurrency,
          y: level.medians.productThroughput,
        })),
      },
      {
        name: names[1],
        color: BASELINE_COLOR,
        dashed: true,
        points: levels.map((level) => ({
          x: level.concurrency,
          y: level.medians.baselineThroughput,
        })),
      },
    ],
  };

  return panel;
}

function latencyPanel(title: string, levels: ComparedLevel[], names: string[]): PlotPanel {
  const series = (
    name: string,
    color: string,
    dashed: boolean,
    select: (level: ComparedLevel) => number,
  ) => ({
    name,
    color,
    dashed,
    points: levels.map((level) => ({ x: level.concurrency, y: select(level) })),
  });

  return {
    title,
    xLabel: 'concurrency (requests in flight)',
    yLabel: 'latency (ms)',
    series: [
      series(`${names[0]} p50`, PRODUCT_COLOR, false, (level) => level.medians.productP50),
      series(`${names[0]} p99`, PRODUCT_TAIL_COLOR, false, (level) => level.medians.productP99),
      series(`${names[1]} p50`, BASELINE_COLOR, true, (level) => level.medians.baselineP50),
      series(`${names[1]} p99`, BASELINE_TAIL_COLOR, true, (level) => level.medians.baselineP99),
    ],
  };
}

/**
 * Draws throughput and p50/p99 latency against concurrency for the login and
 * authenticate benchmarks found in the results, product against baseline, and
 * writes the SVG to docs/. Returns the path, or undefined when neither
 * benchmark has results yet.
 */
export function writeConcurrencyPlot(results: ResultsFile): string | undefined {
  const panels: PlotPanel[] = [];
  const login = results.benchmarks.login?.data as ComparedBenchmark | undefined;
  const authenticate = results.benchmarks.authenticate?.data as ComparedBenchmark | undefined;

  if (login) {
    const names = ['full login', 'bare bcrypt ×2'];
    panels.push(
      throughputPanel('Full login: throughput (medians)', 'logins per second', login.levels, names),
      latencyPanel('Full login: latency p50 and p99 (medians)', login.levels, names),
    );
  }
  if (authenticate) {
    const names = ['authenticate over TCP', 'UPDATE … RETURNING'];
    const throughput = throughputPanel(
      'Simulator authenticate: throughput (medians)',
      'operations per second',
      authenticate.levels,
      names,
    );
    if (authenticate.readThenUpdate) {
      throughput.series.push({
        name: 'SELECT, then UPDATE',
        color: FLOOR_COLOR,
        dashed: true,
        points: authenticate.readThenUpdate.map((level) => ({
          x: level.concurrency,
          y: level.medianThroughput,
        })),
      });
    }
    if (authenticate.ping) {
      throughput.series.push({
        name: 'vip.ping over TCP',
        color: TRANSPORT_FLOOR_COLOR,
        dashed: true,
        points: authenticate.ping.map((level) => ({
          x: level.concurrency,
          y: level.medianThroughput,
        })),
      });
    }
    panels.push(
      throughput,
      latencyPanel(
        'Simulator authenticate: latency p50 and p99 (medians)',
        authenticate.levels,
        names,
      ),
    );
  }
  if (panels.length === 0) {
    return undefined;
  }

  mkdirSync(dirname(PLOT_FILE), { recursive: true });
  writeFileSync(
    PLOT_FILE,
    renderPlot('Product against its same-run baseline, by concurrency', panels),
  );

  return PLOT_FILE;
}
