// Writes a bench run to bench/results/: the figures as JSON, the tables as Markdown (with the
// ratios the goals are stated in), and a chart (SVG) of latency and throughput against graph size.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Load } from './load.ts';
import type { QueryLoad } from './throughput.ts';
import { QUERY_KINDS, type ScalePoint } from './scale.ts';

export interface BenchRun {
  startedAt: string;
  machine: { node: string; cpus: number; memoryGiB: number };
  quick: boolean;
  ours: string;
  peers: { virtuoso: string; comunica: string; ceiling: string };
  throughput: QueryLoad[];
  scale: ScalePoint[];
  /** When each part was measured, when a run of one part kept the other from an earlier run. */
  measuredAt?: { throughput: string; scale: string };
}

export const RESULTS_DIR = 'bench/results';

/** Goals of the request path, as ratios of our throughput to each peer's (issue "speed and scale"). */
export const GOALS: Array<{ peer: keyof BenchRun['peers']; atLeast: number }> = [
  { peer: 'virtuoso', atLeast: 2 },
  { peer: 'comunica', atLeast: 20 },
  { peer: 'ceiling', atLeast: 0.7 },
];

export function writeResults(run: BenchRun): string[] {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const name = run.quick ? 'quick' : 'latest';
  const files = [join(RESULTS_DIR, `${name}.json`), join(RESULTS_DIR, `${name}.md`), join(RESULTS_DIR, `${name}.svg`)];
  writeFileSync(files[0]!, `${JSON.stringify(run, null, 2)}\n`);
  writeFileSync(files[1]!, markdown(run));
  writeFileSync(files[2]!, chart(run.scale));
  return files;
}

const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');
const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
const lowest = (numbers: number[]) => Math.min(...numbers);
/** Requests per second, with a decimal below 10. */
const rate = (perSecond: number) => fixed(perSecond, perSecond < 10 ? 1 : 0);
/** Milliseconds, with two decimals below 10. */
const millis = (ms: number) => fixed(ms, ms < 10 ? 2 : 0);
const ratioText = (ratio: number) => (Number.isFinite(ratio) ? fixed(ratio, 2) : '∞');
/** A summary row's cell: the median or lowest of a column's ratios, '–' when it has none. */
const summarized = (ratios: number[], pick: (ratios: number[]) => number) => (ratios.length ? ratioText(pick(ratios)) : '–');

export function throughputTable(run: BenchRun): string {
  const peers = GOALS.map((goal) => run.peers[goal.peer]);
  const header = ['query', `${run.ours} req/s`, ...peers.map((peer) => `${peer} req/s`), ...GOALS.map((goal) => `÷ ${goal.peer} (goal ≥ ${goal.atLeast})`)];
  const ratios = GOALS.map(() => [] as number[]);
  const rows = run.throughput.map((row) => {
    const ours = row.loads[run.ours]!.perSecond;
    const cells = GOALS.map((goal, i) => {
      const peer = row.loads[run.peers[goal.peer]];
      return peer ? ratioCell(ours, peer.perSecond, goal.atLeast, ratios[i]!) : '–';
    });
    return [row.query, fixed(ours), ...peers.map((peer) => (row.loads[peer] ? rate(row.loads[peer]!.perSecond) : '–')), ...cells];
  });
  const summary = (label: string, pick: (values: number[]) => number) =>
    [label, '', ...peers.map(() => ''), ...ratios.map((values) => summarized(values, pick))];
  return table(header, [...rows, summary('**median**', median), summary('**lowest**', lowest)]);
}

export function scaleTable(points: ScalePoint[]): string {
  const header = ['triples', 'system', 'start s', 'from cache s', 'RSS MiB', ...QUERY_KINDS.map((kind) => `${kind} p50 / p99 ms (req/s)`)];
  const cached = (point: ScalePoint) => (point.cachedStartMs !== undefined && Number.isFinite(point.cachedStartMs) ? fixed(point.cachedStartMs / 1000, 1) : '–');
  const rows = points.map((point) => point.error ? [fixed(point.triples), point.system, fixed(point.startMs / 1000, 1), '–', '–', `refused: ${point.error}`, ...QUERY_KINDS.slice(1).map(() => '')] : [
    fixed(point.triples), point.system, fixed(point.startMs / 1000, 1), cached(point), fixed(point.rssBytes / 2 ** 20),
    ...QUERY_KINDS.map((kind) => {
      const load = point.loads[kind];
      return load && load.perSecond > 0 ? `${millis(load.p50)} / ${millis(load.p99)} (${rate(load.perSecond)})` : '–';
    }),
  ]);
  return table(header, rows);
}

/**
 * The saved queries on a synthetic corpus (with the seed data), 10 connections: req/s and p50 per
 * system, and our throughput ÷ Virtuoso's (the goal: ≥ 2, as on the seed data).
 */
export function savedAtScaleTable(run: BenchRun): string | undefined {
  const points = run.scale.filter((point) => point.saved);
  if (points.length === 0) return undefined;
  const systems = [run.ours, run.peers.virtuoso, run.peers.ceiling].filter((name) => points.some((point) => point.system === name));
  const loadOf = (system: string, query: string) => points.find((point) => point.system === system)?.saved?.[query];
  const cell = (load: Load | undefined) => !load ? '–'
    : `${rate(load.perSecond)} (${load.perSecond > 0 ? millis(load.p50) : '–'})${load.failed ? `, ${load.failed} failed` : ''}`;
  const ratios: number[] = [];
  const rows = Object.keys(points[0]!.saved!).map((query) => {
    const ours = loadOf(run.ours, query);
    const virtuoso = loadOf(run.peers.virtuoso, query);
    const ratio = ours && virtuoso ? ratioCell(ours.perSecond, virtuoso.perSecond, 2, ratios) : '–';
    return [query, ...systems.map((system) => cell(loadOf(system, query))), ratio];
  });
  const summary = (label: string, pick: (values: number[]) => number) => [label, ...systems.map(() => ''), summarized(ratios, pick)];
  const header = ['query', ...systems.map((system) => `${system} req/s (p50 ms)`), '÷ virtuoso (goal ≥ 2)'];
  return table(header, [...rows, summary('**median**', median), summary('**lowest**', lowest)]);
}

/**
 * Our rate ÷ a peer's, marked ✗ below `atLeast`, and kept in `ratios` for the summary rows: ∞ when
 * only the peer answered nothing, no ratio when neither did.
 */
function ratioCell(ours: number, peer: number, atLeast: number, ratios: number[]): string {
  if (ours === 0 && peer === 0) return '–';
  const ratio = peer > 0 ? ours / peer : Number.POSITIVE_INFINITY;
  ratios.push(ratio);
  return `${ratioText(ratio)}${ratio >= atLeast ? '' : ' ✗'}`;
}

function markdown(run: BenchRun): string {
  return `# diplomacy-kg benchmark${run.quick ? ' (quick)' : ''}

${run.startedAt}; Node ${run.machine.node}; ${run.machine.cpus} cores and ${run.machine.memoryGiB} GiB shared by the load generator (autocannon), our server and the peers. Every system was started by the bench on 127.0.0.1 and loaded with our own N-Quads export.

## Request path: every saved query at 10 connections

Requests per second (after a warm-up), and our throughput divided by each peer's; ✗ marks a ratio below its goal.

${measuredNote(run, 'throughput')}${throughputTable(run)}

## Scale: synthetic corpora (\`kg synth\`), 10 connections

Start is the time to the first answer from a cold process (ours: load, anchor checks, SHACL, workers, the median of three cold starts in a full run, each on a state directory of its own; Virtuoso: its start and bulk load; the ceiling: loading N-Quads; one start each). From cache is ours started again on the first cold start's state directory, with the same files: its workers load the checked graph that start kept (the build cache), and nothing is parsed, derived or checked. RSS is the largest resident memory of the whole process seen during the run. A query that took 200 ms or more (twice) is sent once per connection, every answer waited for, rather than for a cell that would cut it short.

${measuredNote(run, 'scale')}${scaleTable(run.scale)}
${savedSection(run)}`;
}

/** Says when a part kept from an earlier run was measured (the date above is this run's). */
function measuredNote(run: BenchRun, part: 'throughput' | 'scale'): string {
  const at = run.measuredAt?.[part];
  return at === undefined || at === run.startedAt ? '' : `Measured ${at}, in an earlier run than the date above.\n\n`;
}

function savedSection(run: BenchRun): string {
  const saved = savedAtScaleTable(run);
  const at = run.scale.find((point) => point.saved)?.triples;
  return saved === undefined ? '' : `
## Saved queries on the ${fixed(at!)}-triple corpus, 10 connections

The synthetic corpus of that size with the seed data (\`data/\`) added, so that the saved queries find what they name. Measured as the kinds above (a slow or failing query once per connection); a failed answer (an error status or a timeout) does not count.

${saved}
`;
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? ':--' : '--:')).join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

/** Two panels, both axes logarithmic: p50 latency and throughput, each the geometric mean over the five kinds of query. */
function chart(points: ScalePoint[]): string {
  const systems = [...new Set(points.map((point) => point.system))];
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];
  const series = (metric: (point: ScalePoint) => number) => systems.map((system) => points
    .filter((point) => point.system === system && !point.error)
    .map((point) => ({ x: point.triples, y: metric(point) }))
    .filter((p) => Number.isFinite(p.y) && p.y > 0));
  const geomean = (values: number[]) => Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
  const latency = series((point) => geomean(Object.values(point.loads).filter((l) => l.perSecond > 0).map((l) => l.p50)));
  const throughput = series((point) => geomean(Object.values(point.loads).filter((l) => l.perSecond > 0).map((l) => l.perSecond)));
  const width = 920;
  const panel = (title: string, unit: string, data: Array<Array<{ x: number; y: number }>>, left: number) => logPanel(title, unit, data, colors, left, 40, 400, 300);
  const legend = systems.map((system, i) => `<g transform="translate(${60 + i * 210},390)"><rect width="14" height="14" fill="${colors[i % colors.length]}"/><text x="20" y="12">${escape(system)}</text></g>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="420" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
${panel('p50 latency at 10 connections (geometric mean of 5 query kinds)', 'ms', latency, 60)}
${panel('throughput at 10 connections (geometric mean of 5 query kinds)', 'req/s', throughput, 510)}
${legend}
</svg>
`;
}

function logPanel(title: string, unit: string, data: Array<Array<{ x: number; y: number }>>, colors: string[], left: number, top: number, w: number, h: number): string {
  const all = data.flat();
  if (all.length === 0) return '';
  const range = (values: number[]) => [Math.floor(Math.log10(Math.min(...values))), Math.ceil(Math.log10(Math.max(...values)))] as const;
  const [x0, x1] = range(all.map((p) => p.x));
  const [y0, y1] = range(all.map((p) => p.y));
  const sx = (x: number) => left + ((Math.log10(x) - x0) / Math.max(1, x1 - x0)) * (w - 60);
  const sy = (y: number) => top + h - 30 - ((Math.log10(y) - y0) / Math.max(1, y1 - y0)) * (h - 50);
  const grid: string[] = [];
  for (let e = x0; e <= x1; e++) grid.push(`<line x1="${sx(10 ** e)}" y1="${top + 20}" x2="${sx(10 ** e)}" y2="${top + h - 30}" stroke="#ddd"/><text x="${sx(10 ** e)}" y="${top + h - 14}" text-anchor="middle">${short(10 ** e)}</text>`);
  for (let e = y0; e <= y1; e++) grid.push(`<line x1="${left}" y1="${sy(10 ** e)}" x2="${left + w - 60}" y2="${sy(10 ** e)}" stroke="#ddd"/><text x="${left - 6}" y="${sy(10 ** e) + 4}" text-anchor="end">${short(10 ** e)}</text>`);
  const lines = data.map((points, i) => {
    const color = colors[i % colors.length];
    const path = points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
    return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${path}"/>${points.map((p) => `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3" fill="${color}"/>`).join('')}`;
  }).join('\n');
  return `<g><text x="${left}" y="${top}" font-weight="bold">${escape(title)}</text><text x="${left - 6}" y="${top + 14}" text-anchor="end">${unit}</text>
${grid.join('\n')}<text x="${left + (w - 60) / 2}" y="${top + h}" text-anchor="middle">triples</text>
${lines}</g>`;
}

function short(n: number): string {
  if (n >= 1e6) return `${n / 1e6}M`;
  if (n >= 1e3) return `${n / 1e3}k`;
  return String(n);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}
