import { readFileSync } from 'node:fs';

/** The parts of a V8 .cpuprofile file (as written by `node --cpu-prof`) used here. */
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  samples: number[];
}

const USAGE = `Usage: node dist/bench/profile-summary.js FILE.cpuprofile [TOP]
Prints where a profile written by \`node --cpu-prof\` spent its busy samples:
self time by package (node_modules package, app or library folder, Node core),
then the TOP functions (default 25) by self time. Idle samples are left out.`;

/** Names the package or project folder a script URL belongs to. */
function packageOf(url: string): string {
  const dependency = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (dependency) {
    return dependency[1];
  }
  const projectFolder = url.match(/\/((?:apps|libs)\/[^/]+|bench|scripts)\//);
  if (projectFolder) {
    return projectFolder[1];
  }

  return url.startsWith('node:') ? 'node core' : url;
}

function describeFrame(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) {
    return name;
  }
  const place = frame.url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, '');

  return `${name} ${place}:${frame.lineNumber + 1}`;
}

function addTo(totals: Map<string, number>, key: string, count: number): void {
  totals.set(key, (totals.get(key) ?? 0) + count);
}

function printShares(title: string, totals: Map<string, number>, busy: number, top: number) {
  console.log(`\n${title}`);
  const sorted = [...totals].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, count] of sorted) {
    console.log(`${((100 * count) / busy).toFixed(1).padStart(6)}%  ${key}`);
  }
}

function main(): void {
  const [file, topArgument] = process.argv.slice(2);
  if (!file || file === '--help') {
    console.log(USAGE);
    process.exit(file ? 0 : 2);
  }
  const top = Number(topArgument ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const samplesPerNode = new Map<number, number>();
  for (const id of profile.samples) {
    samplesPerNode.set(id, (samplesPerNode.get(id) ?? 0) + 1);
  }

  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, count] of samplesPerNode) {
    const frame = (nodes.get(id) as CpuProfile['nodes'][number]).callFrame;
    if (frame.functionName === '(idle)') {
      idle += count;
      continue;
    }
    busy += count;
    // Native work such as writev or garbage collection has no URL; it keeps its own name.
    addTo(byPackage, frame.url ? packageOf(frame.url) : frame.functionName, count);
    addTo(byFunction, describeFrame(frame), count);
  }

  const total = busy + idle;
  console.log(
    `${total} samples: ${((100 * busy) / total).toFixed(1)}% busy, ` +
      `${((100 * idle) / total).toFixed(1)}% idle; shares below are of the busy samples`,
  );
  printShares('Self time by package', byPackage, busy, top);
  printShares('Self time by function', byFunction, busy, top);
}

main();
