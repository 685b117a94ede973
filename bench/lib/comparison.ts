import { cpuPerOperation, sampleCpu } from './cpu-usage';
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
    /** CPU time per operation of this process (every thread) and of PostgreSQL, when measured. */
    productCpuMs: number;
    baselineCpuMs: number;
    productPostgresCpuMs: number | null;
    baselinePostgresCpuMs: number | null;
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
  const postgres = run.cpu?.postgresMs == null ? '' : ` + ${run.cpu.postgresMs.toFixed(2)} PG`;
  const cpu = run.cpu ? `, CPU ${run.cpu.processMs.toFixed(2)}${postgres} ms/op` : '';

  return (
    `${label} ${run.throughput.toFixed(1)}/s, p50 ${run.latency.p50.toFixed(2)} ms, ` +
    `p99 ${run.latency.p99.toFixed(2)} ms${errors}${cpu}`
  );
}

/** Runs one measurement and adds the CPU time it used per successful operation. */
async function withCpu(run: () => Promise<RunMeasurement>): Promise<RunMeasurement> {
  const start = sampleCpu();
  const measured = await run();

  return { ...measured, cpu: cpuPerOperation(start, measured.operations) };
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
      const runBaseline = () => withCpu(() => options.runBaseline(concurrency, run));
      const runProduct = () => withCpu(() => options.runProduct(concurrency, run));
      if (run % 2 === 0) {
        baseline = await runBaseline();
        product = await runProduct();
      } else {
        product = await runProduct();
        baseline = await runBaseline();
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
  const pickOrNull = (select: (run: ComparedRun) => number | null | undefined): number | null => {
    const values = runs.map(select);
    if (values.some((value) => typeof value !== 'number')) {
      return null;
    }

    return round(median(values as number[]));
  };

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
      productCpuMs: pick((run) => run.product.cpu?.processMs ?? Number.NaN),
      baselineCpuMs: pick((run) => run.baseline.cpu?.processMs ?? Number.NaN),
      productPostgresCpuMs: pickOrNull((run) => run.product.cpu?.postgresMs),
      baselinePostgresCpuMs: pickOrNull((run) => run.baseline.cpu?.postgresMs),
    },
  };
}
