import fs from 'node:fs';

/**
 * Summarizes V8 CPU profiles (`pnpm bench` with BENCH_CPU_PROF=<dir> writes one per server):
 *   node dist/bench/profile.js <file.cpuprofile> [top]
 * prints the share of samples spent in each package or source folder, and the functions with the
 * most self time.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

function where(url: string): string {
  if (!url) return '(native)';
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  if (url.startsWith('node:')) return url;
  const own = /\/(server|shared)\/(?:dist|src)\/(.+?)\/[^/]+$/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

function summarize(file: string, top: number): void {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (const id of profile.samples) self.set(id, (self.get(id) ?? 0) + 1);
  const total = profile.samples.length;
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, hits] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const place = where(url);
    byPlace.set(place, (byPlace.get(place) ?? 0) + hits);
    const name = `${functionName || '(anonymous)'} ${place}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
  }
  const pct = (n: number) => `${((100 * n) / total).toFixed(1).padStart(5)}%`;
  console.log(`${file}: ${total} samples`);
  console.log('\nby package or folder (self time):');
  for (const [place, hits] of [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(hits)}  ${place}`);
  console.log('\nby function (self time):');
  for (const [name, hits] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(hits)}  ${name}`);
}

const [file, top] = process.argv.slice(2);
if (!file) {
  console.error('usage: node dist/bench/profile.js <file.cpuprofile> [top]');
  process.exit(2);
}
summarize(file, Number(top ?? 25));
