import { ComparedLevel } from './lib/comparison';
import { BenchmarkResult, RESULTS_FILE, readResults } from './lib/results';

function formatNumber(value: number, decimals = 1): string {
  return Number.isFinite(value) ? value.toFixed(decimals) : 'n/a';
}

function formatCpu(processMs: number, postgresMs: number | null | undefined): string {
  const postgres = typeof postgresMs === 'number' ? ` + ${formatNumber(postgresMs, 2)}` : '';

  return `${formatNumber(processMs, 2)}${postgres}`;
}

function comparisonTable(levels: ComparedLevel[], product: string, baseline: string): string {
  const lines = [
    `| concurrency | ${product} /s | ${baseline} /s | ratio (per run) | ${product} p50 / p99 ms | ` +
      `${baseline} p50 / p99 ms | CPU ms per op, Node + PostgreSQL: ${product} / ${baseline} | ` +
      'errors |',
    '| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const level of levels) {
    const m = level.medians;
    const perRun = level.runs.map((run) => run.ratio.toFixed(2)).join(', ');
    lines.push(
      `| ${level.concurrency} | ${formatNumber(m.productThroughput)} | ` +
        `${formatNumber(m.baselineThroughput)} | **${m.ratio.toFixed(2)}** (${perRun}) | ` +
        `${formatNumber(m.productP50)} / ${formatNumber(m.productP99)} | ` +
        `${formatNumber(m.baselineP50)} / ${formatNumber(m.baselineP99)} | ` +
        `${formatCpu(m.productCpuMs, m.productPostgresCpuMs)} / ` +
        `${formatCpu(m.baselineCpuMs, m.baselinePostgresCpuMs)} | ${m.productErrors} |`,
    );
  }

  return lines.join('\n');
}

interface FloorLevel {
  concurrency: number;
  medianThroughput: number;
  medianP50: number;
  medianP99: number;
  medianCpuMs?: number;
  medianPostgresCpuMs?: number;
}

function floorTable(levels: FloorLevel[]): string {
  const lines = [
    '| concurrency | operations /s | p50 / p99 ms | CPU ms per op, Node + PostgreSQL |',
    '| ---: | ---: | ---: | ---: |',
  ];
  for (const level of levels) {
    lines.push(
      `| ${level.concurrency} | ${formatNumber(level.medianThroughput)} | ` +
        `${formatNumber(level.medianP50, 2)} / ${formatNumber(level.medianP99, 2)} | ` +
        `${formatCpu(level.medianCpuMs ?? Number.NaN, level.medianPostgresCpuMs)} |`,
    );
  }

  return lines.join('\n');
}

function targetTable(result: BenchmarkResult): string {
  const lines = ['| target | measured (median) | met |', '| --- | ---: | :---: |'];
  for (const target of result.targets) {
    lines.push(
      `| ${target.target} | ${target.measured} ${target.unit} | ${target.met ? 'yes' : '**no**'} |`,
    );
  }

  return lines.join('\n');
}

interface GrowthPosition {
  name: string;
  medianP50: number;
  medianP99: number;
}

interface GrowthState {
  users: number;
  auditEvents: number;
  auditTableSize: string;
  login: { medianP50: number };
  auditPages: GrowthPosition[];
}

function growthTable(data: { small: GrowthState; large: GrowthState }): string {
  const lines = [
    '| state | users | audit events | audit table | login p50 ms | audit page | page p50 / p99 ms |',
    '| --- | ---: | ---: | ---: | ---: | --- | ---: |',
  ];
  for (const [label, state] of [
    ['small', data.small],
    ['large', data.large],
  ] as const) {
    state.auditPages.forEach((page, index) => {
      const head =
        index === 0
          ? `| ${label} | ${state.users} | ${state.auditEvents} | ${state.auditTableSize} | ` +
            `${formatNumber(state.login.medianP50)} |`
          : '| | | | | |';
      lines.push(
        `${head} ${page.name} | ${formatNumber(page.medianP50, 2)} / ${formatNumber(page.medianP99, 2)} |`,
      );
    });
  }

  return lines.join('\n');
}

interface StartupRun {
  readyMs: number;
  rebuilt: boolean;
  earlyRssMiB?: { simulator: number; auth: number };
  rssMiB: { simulator: number; auth: number };
}

function startupTable(data: { first: StartupRun; runs: StartupRun[] }): string {
  const lines = [
    '| start | ready s | simulator RSS MiB, 5 s / 30 s after ready | auth service RSS MiB, 5 s / 30 s after ready |',
    '| --- | ---: | ---: | ---: |',
  ];
  const row = (label: string, run: StartupRun): string =>
    `| ${label}${run.rebuilt ? ' (rebuilt first)' : ''} | ${formatNumber(run.readyMs / 1000, 2)} | ` +
    `${run.earlyRssMiB?.simulator ?? 'n/a'} / ${run.rssMiB.simulator} | ` +
    `${run.earlyRssMiB?.auth ?? 'n/a'} / ${run.rssMiB.auth} |`;
  lines.push(row('first (new cluster)', data.first));
  data.runs.forEach((run, index) => lines.push(row(`existing database, run ${index + 1}`, run)));

  return lines.join('\n');
}

/** Prints the stored results as Markdown tables, for docs/benchmarks.md. */
function main(): void {
  const results = readResults();
  console.log(`<!-- tables generated from ${RESULTS_FILE}, updated ${results.updatedAt} -->`);
  for (const result of Object.values(results.benchmarks)) {
    console.log(`\n### ${result.name} (measured ${result.measuredAt})\n`);
    console.log(`Settings: \`${JSON.stringify(result.settings)}\`\n`);
    if (result.name.startsWith('login')) {
      const data = result.data as { levels: ComparedLevel[] };
      console.log(comparisonTable(data.levels, 'logins', 'bcrypt ×2'));
    } else if (result.name === 'authenticate') {
      const data = result.data as {
        levels: ComparedLevel[];
        readThenUpdate?: FloorLevel[];
        ping?: FloorLevel[];
      };
      console.log(comparisonTable(data.levels, 'authenticate', 'UPDATE'));
      if (data.readThenUpdate) {
        console.log(`\nSELECT, then UPDATE (two statements per operation):\n`);
        console.log(floorTable(data.readThenUpdate));
      }
      if (data.ping) {
        console.log(`\nvip.ping over the same TCP client (no database work):\n`);
        console.log(floorTable(data.ping));
      }
    } else if (result.name === 'growth') {
      console.log(growthTable(result.data as { small: GrowthState; large: GrowthState }));
    } else if (result.name === 'startup') {
      console.log(startupTable(result.data as { first: StartupRun; runs: StartupRun[] }));
    }
    console.log(`\n${targetTable(result)}`);
  }
}

main();
