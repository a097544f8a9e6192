import fs from 'node:fs';
import type { MemoryReport } from '../lib/memory';
import type { LoadResult } from './load';

export type Target = { metric: 'ratio'; atLeast: number } | { metric: 'p50' | 'p95'; below: number };

export interface Scenario {
  name: string;
  connections: number;
  /** Name (or alias) of the floor this scenario is held against. */
  floor?: string;
  isFloor?: boolean;
  alias?: string;
  target?: Target;
  result: LoadResult;
  /** The server's resident memory after the scenario, a forced collection and a second. */
  rssMb?: number;
  /** The server's own report after that collection: its heap, and memory outside it. */
  memory?: MemoryReport;
}

export interface Section {
  label: string;
  keys: number;
  seedSeconds: number;
  scenarios: Scenario[];
  notes: string[];
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
  databases: string[];
  redis: string;
  /** 1-, 5- and 15-minute load averages (os.loadavg) when the run started and when it ended. */
  loadAverage: { start: number[]; end?: number[] };
}

export const RSS_LIMIT_MB = 300;

const n0 = (v: number) => Math.round(v).toLocaleString('en-US');
const msValue = (v: number) => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const ms = (v: number, lowerBound = false): string => (lowerBound ? `> ${Math.floor(v).toLocaleString('en-US')}` : msValue(v));

function floorOf(section: Section, scenario: Scenario): Scenario | undefined {
  if (!scenario.floor) return undefined;
  return section.scenarios.find((s) => s.isFloor && (s.alias === scenario.floor || s.name === scenario.floor));
}

export function verdict(section: Section, scenario: Scenario): { ratio?: number; target: string; met: string } {
  const floor = floorOf(section, scenario);
  const ratio = floor ? scenario.result.perSecond / floor.result.perSecond : undefined;
  const t = scenario.target;
  const clean = scenario.result.errors === 0 && !scenario.result.noResponse;
  if (!t) return { ratio, target: '', met: '' };
  if (t.metric === 'ratio') {
    const ok = ratio !== undefined && ratio >= t.atLeast && clean;
    return { ratio, target: `>= ${t.atLeast}x floor`, met: ok ? 'yes' : 'no' };
  }
  const value = t.metric === 'p50' ? scenario.result.p50 : scenario.result.p95;
  return { ratio, target: `${t.metric} < ${t.below} ms`, met: value < t.below && clean ? 'yes' : 'no' };
}

export function renderSection(section: Section): string {
  const lines = [
    `### ${section.label}: ${n0(section.keys)} keys (seeded in ${section.seedSeconds.toFixed(0)} s)`,
    '',
    '| scenario | conns | req/s | p50 ms | p95 ms | p99 ms | errors | vs floor (req/s) | target | met | CPU µs per response: serving / load generator | server RSS MB | heap MB used / total |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|',
  ];
  for (const s of section.scenarios) {
    const v = verdict(section, s);
    const r = s.result;
    lines.push(
      `| ${s.isFloor ? `*${s.name}*` : s.name} | ${s.connections} | ${n0(r.perSecond)} | ${ms(r.p50, r.noResponse)} | ${ms(r.p95, r.noResponse)} | ${ms(r.p99, r.noResponse)} | ${r.errors} | ${v.ratio === undefined ? '' : `${v.ratio.toPrecision(3)}x`} | ${v.target} | ${v.met} | ${r.serverCpuMicros ?? '?'} / ${r.loadCpuMicros ?? '?'} | ${s.rssMb === undefined ? '' : n0(s.rssMb)} | ${s.memory ? `${n0(s.memory.heapUsedMb)} / ${n0(s.memory.heapTotalMb)}` : ''} |`,
    );
  }
  const rss = section.scenarios.map((s) => s.rssMb ?? 0);
  const maxRss = Math.max(0, ...rss);
  lines.push('', `Largest server RSS after a scenario (settled: a forced GC and 1 s after the load): ${n0(maxRss)} MB (limit ${RSS_LIMIT_MB} MB: ${maxRss < RSS_LIMIT_MB ? 'met' : 'not met'}).`);
  for (const note of section.notes) lines.push('', note);
  return lines.join('\n');
}

export interface ReportInput {
  machine: Machine;
  sections: Section[];
  settings: { duration: number; warmup: number; connections: number; listConnections: number; createConnections: number };
  minutes: number;
}

export function renderReport({ machine, sections, settings, minutes }: ReportInput): string {
  const m = machine;
  return [
    `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${minutes.toFixed(1)} minutes.`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb.toFixed(0)} GB, ${m.os}; Node ${m.node}; ${m.databases.join('; ')}; Redis ${m.redis}. ` +
      'Load generator, floors, server and databases share these cores.',
    '',
    `Load average (1, 5, 15 min) at the start: ${m.loadAverage.start.map((l) => l.toFixed(2)).join(', ')}` +
      (m.loadAverage.end ? `; at the end: ${m.loadAverage.end.map((l) => l.toFixed(2)).join(', ')}` : '') +
      ` (${m.cores} cores: above ${m.cores}, other work was competing for them).`,
    '',
    `Each scenario: ${settings.warmup} s of warm-up, then ${settings.duration} s measured (autocannon in its own process). ` +
      `Verification: ${settings.connections} connections. Lists: ${settings.listConnections} connection (latency without queueing). ` +
      `createApiKey: ${settings.createConnections} connections. Latencies in milliseconds; an error is a wrong status, a GraphQL error or a missing expected field.`,
    '',
    sections.map(renderSection).join('\n\n'),
  ].join('\n');
}

const START = '<!-- bench:latest-run -->';
const END = '<!-- /bench:latest-run -->';

/** Replaces the latest-run part of the file, keeping everything written around it. */
export function writeReport(file: string, report: string): void {
  const block = `${START}\n${report}\n${END}`;
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    text = '';
  }
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  const next = from >= 0 && to > from ? `${text.slice(0, from)}${block}${text.slice(to + END.length)}` : `${text || '# Benchmarks\n'}\n## Latest run\n\n${block}\n`;
  fs.writeFileSync(file, next);
}
