import { RunMeasurement, median, round } from './stats';

/** One run of the product workload and of its baseline, back to back. */
export interface ComparedRun {
  product: RunMeasurement;
  baseline: RunMeasurement;
  /** Product throughput divided by baseline throughput in this run. */
  ratio: number;
}

/** Medians over the runs at one concurrency. */
export interface ComparedLevel {
  concurrency: number;
  runs: ComparedRun[];
  medians: {
    productThroughput: number;
    baselineThroughput: number;
    /** Median of the per-run ratios; the figure the targets are checked against. */
    ratio: number;
    productP50: number;
    productP99: number;
    baselineP50: number;
    baselineP99: number;
    productErrors: number;
  };
}

export interface ComparisonOptions {
  concurrencyLevels: number[];
  runs: number;
  runProduct: (concurrency: number, run: number) => Promise<RunMeasurement>;
  runBaseline: (concurrency: number, run: number) => Promise<RunMeasurement>;
  log: (line: string) => void;
}

function describeRun(label: string, run: RunMeasurement): string {
  const errors = run.errors > 0 ? `, ${run.errors} errors (${run.firstError})` : '';

  return (
    `${label} ${run.throughput.toFixed(1)}/s, p50 ${run.latency.p50.toFixed(2)} ms, ` +
    `p99 ${run.latency.p99.toFixed(2)} ms${errors}`
  );
}

/**
 * Measures the product and its baseline at each concurrency, `runs` times
 * each. The order alternates between runs (baseline first, then product
 * first), so a slow drift of the machine does not favour either side.
 */
export async function runComparison(options: ComparisonOptions): Promise<ComparedLevel[]> {
  const levels: ComparedLevel[] = [];
  for (const concurrency of options.concurrencyLevels) {
    const runs: ComparedRun[] = [];
    for (let run = 0; run < options.runs; run += 1) {
      let product: RunMeasurement;
      let baseline: RunMeasurement;
      if (run % 2 === 0) {
        baseline = await options.runBaseline(concurrency, run);
        product = await options.runProduct(concurrency, run);
      } else {
        product = await options.runProduct(concurrency, run);
        baseline = await options.runBaseline(concurrency, run);
      }
      const ratio = baseline.throughput > 0 ? product.throughput / baseline.throughput : 0;
      runs.push({ product, baseline, ratio });
      options.log(
        `  c=${concurrency} run ${run + 1}: ${describeRun('product', product)}; ` +
          `${describeRun('baseline', baseline)}; ratio ${ratio.toFixed(3)}`,
      );
    }
    levels.push(summarizeLevel(concurrency, runs));
  }

  return levels;
}

export function summarizeLevel(concurrency: number, runs: ComparedRun[]): ComparedLevel {
  const pick = (select: (run: ComparedRun) => number): number => round(median(runs.map(select)));

  return {
    concurrency,
    runs,
    medians: {
      productThroughput: pick((run) => run.product.throughput),
      baselineThroughput: pick((run) => run.baseline.throughput),
      ratio: pick((run) => run.ratio),
      productP50: pick((run) => run.product.latency.p50),
      productP99: pick((run) => run.product.latency.p99),
      baselineP50: pick((run) => run.baseline.latency.p50),
      baselineP99: pick((run) => run.baseline.latency.p99),
      productErrors: pick((run) => run.product.errors),
    },
  };
}
