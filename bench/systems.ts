// The systems the bench compares, each started by the bench on 127.0.0.1 and loaded with the same
// data (our own export): our server (`kg serve`, a child process as in production), the ceiling
// (bench/ceiling.mjs: node:http and oxigraph in one thread), Virtuoso (Debian's
// virtuoso-opensource, bulk-loaded from our N-Quads), and Comunica's endpoint
// (comunica-sparql-http from @comunica/query-sparql, over our N-Quads with the union default graph).

import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, startVirtuoso } from '../tests/helpers/peers.ts';

export interface System {
  name: string;
  /** The SPARQL endpoint. */
  sparqlUrl: string;
  /** Milliseconds from the start of the process to its first answer (loading included). */
  startMs: number;
  /** When the system was started several times over: each start, and `startMs` is their median. */
  startRunsMs?: number[];
  /** Our server: a start on the state directory of its first cold start, from the build cache that start kept. */
  cachedStartMs?: number;
  /** Resident memory of the whole process now, in bytes (worker threads included). */
  rss(): number;
  stop(): Promise<void>;
}

/** Processes still running: a bench that fails half-way leaves none behind. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
// A bench stopped from outside (Ctrl-C, kill) takes its systems with it too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(1));

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.on('exit', () => running.delete(child));
  return child;
}

function rssOf(pid: number | undefined): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Resolves with the first stdout line that `pick` accepts; rejects if the process ends before. */
function firstLine<T>(child: ChildProcess, pick: (line: string) => T | undefined, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const picked = pick(line);
      if (picked !== undefined) resolve(picked);
    });
    child.on('exit', (code) => reject(new Error(`${what} exited with ${code} before it answered:\n${stderr}`)));
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Our server as `kg serve` over `dataDir` (its start includes loading, checks, SHACL and the workers). */
export async function startOurs(env: NodeJS.ProcessEnv = {}, name = 'diplomacy-kg'): Promise<System> {
  const started = performance.now();
  const child = track(spawn(process.execPath, ['bin/kg.js', 'serve', '--port', '0'], {
    env: { ...process.env, KG_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  const url = await firstLine(child, (text) => {
    const line = JSON.parse(text) as { msg?: string; url?: string };
    return line.msg === 'listening' ? line.url : undefined;
  }, 'kg serve');
  const startMs = performance.now() - started;
  drainElsewhere(child);
  return { name, sparqlUrl: `${url}/sparql`, startMs, rss: () => rssOf(child.pid), stop: stopper(child) };
}

/**
 * Hands the server's log (a JSON line per request) to a process of its own that discards it, as
 * a file or journald would take it in production. Read here, thousands of lines a second went
 * through the listening-line reader (a JSON.parse each) on the thread that runs autocannon
 * (8 s cells of `agreements`: 8,163 req/s read here, 8,829 drained by cat, medians of three).
 */
function drainElsewhere(child: ChildProcess): void {
  track(spawn('cat', [], { stdio: [child.stdout!, 'ignore', 'ignore'] }));
  child.stdout!.destroy();
}

/** The ceiling: the same queries on an oxigraph store in the server's one thread, nothing else. */
export async function startCeiling(nquadsFile: string): Promise<System> {
  const started = performance.now();
  const child = track(spawn(process.execPath, ['--max-old-space-size=16384', 'bench/ceiling.mjs', nquadsFile], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const url = await firstLine(child, (text) => (JSON.parse(text) as { url?: string }).url, 'the ceiling server');
  return { name: 'ceiling (node:http + oxigraph)', sparqlUrl: `${url}/sparql`, startMs: performance.now() - started, rss: () => rssOf(child.pid), stop: stopper(child) };
}

/**
 * Virtuoso with the memory its own ini comments advise for 2 GB (NumberOfBuffers 170,000), 10
 * HTTP threads, bulk-loaded from our N-Quads (its default graph is the union of its graphs).
 */
export async function startVirtuosoPeer(nquadsFile: string): Promise<System> {
  const started = performance.now();
  const virtuoso = await startVirtuoso({ maxRows: 1_000_000, buffers: 170_000, connections: 10 });
  writeFileSync(join(virtuoso.dir, 'data.nq'), readFileSync(nquadsFile));
  await virtuoso.isql(`ld_dir('${virtuoso.dir}', 'data.nq', 'urn:x-bench:default')`);
  await virtuoso.isql('rdf_loader_run()');
  const failed = await virtuoso.isql('SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL');
  if (/data\.nq/.test(failed)) throw new Error(`Virtuoso could not load the data: ${failed}`);
  await virtuoso.isql('checkpoint');
  const pid = Number(/(\d+)/.exec(readFileSync(join(virtuoso.dir, 'virtuoso.lck'), 'utf8'))?.[1]);
  return {
    name: 'Virtuoso 7 (Debian)', sparqlUrl: virtuoso.sparqlUrl, startMs: performance.now() - started,
    rss: () => rssOf(pid), stop: () => virtuoso.stop(),
  };
}

/**
 * Comunica's SPARQL endpoint over the same N-Quads file, named graphs kept and their union as the
 * default graph. It listens on every interface and has no option for the address: a preload
 * (bench/loopback-only.mjs) makes its listen() bind 127.0.0.1.
 */
export async function startComunica(nquadsFile: string): Promise<System> {
  const started = performance.now();
  // It reads sources by URL only (a path or file: URL is "could not dereference"): the file is served here.
  const file = await serveFile(nquadsFile, 'application/n-quads');
  const port = await freePort();
  const child = track(spawn(process.execPath, [
    '--import', './bench/loopback-only.mjs', 'node_modules/@comunica/query-sparql/bin/http.js',
    file.url, '--unionDefaultGraph', '-p', String(port), '-t', '120',
  ], { stdio: ['ignore', 'pipe', 'pipe'] }));
  child.stdout!.resume();
  const sparqlUrl = `http://127.0.0.1:${port}/sparql`;
  await waitForAnswer(sparqlUrl, child);
  const stop = stopper(child);
  return {
    name: 'Comunica endpoint', sparqlUrl, startMs: performance.now() - started, rss: () => rssOf(child.pid),
    stop: async () => {
      await stop();
      file.server.close();
    },
  };
}

/** A file over HTTP on 127.0.0.1, for a peer that reads its data by URL. */
function serveFile(path: string, mediaType: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': mediaType });
    createReadStream(path).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/data.nq`, server });
  }));
}

/** Polls until the endpoint answers a query (Comunica says nothing useful when it is ready). */
async function waitForAnswer(sparqlUrl: string, child: ChildProcess): Promise<void> {
  const ask = `${sparqlUrl}?query=${encodeURIComponent('ASK { ?s ?p ?o }')}`;
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`${sparqlUrl} exited with ${child.exitCode}`);
    try {
      const response = await fetch(ask, { headers: { accept: 'application/sparql-results+json' } });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${sparqlUrl} did not answer within a minute`);
}
