// Starts the HTTP server: builds and validates the graph, starts the query workers, listens,
// and shuts down gracefully.

import { createServer, type Server } from 'node:http';
import { availableParallelism } from 'node:os';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { createApp } from './app.ts';
import type { Config } from '../core/config.ts';
import { messageOf } from '../core/errors.ts';
import { BUILD_STEP_NAMES, type BuildProgress, type KnowledgeGraph } from '../dataset/build.ts';
import { loadSavedQueries, type SavedQuery } from '../dataset/saved-queries.ts';
import { EmbeddedEngine, type EmbeddedEngineOptions } from '../engine/embedded/embedded-engine.ts';
import type { GraphStore } from '../engine/rdf/graph-store.ts';
import { engineSelect, rememberedSummary, storeSelect, summarizeDataset, type SelectValues } from '../dataset/summary.ts';
import type { Engine, QuadChange } from '../engine/engine.ts';
import { checkCurrentGraph, createWriter, datasetAfterData, openCurrentGraph, writeGraphs, type DatasetAfterData, type OpenedGraph, type RestoredState } from '../writes/state.ts';
import { loadWriteTokens, type WriteToken } from '../writes/tokens.ts';
import { Writer } from '../writes/writer.ts';
import { documentLoader } from '../writes/load-document.ts';
import { engineGraphReader, storeGraphReader, type WriteContext } from '../protocol/write-context.ts';
import { buildInThread } from './build-in-thread.ts';
import { BuildCache, type CachedBuild } from './build-cache.ts';
import type { PackedDataset } from '../engine/embedded/pool-dataset.ts';

export interface RunningServer {
  /** http://host:port, with the port actually bound. */
  url: string;
  server: Server;
  engine: Engine & { load: EngineLoad };
  logger: Logger;
  /** Absent when no write token is configured. */
  writer?: Writer;
  /**
   * Stops accepting connections, lets in-flight requests finish (cutting those still open after
   * KG_SHUTDOWN_TIMEOUT_MS), then stops the workers.
   */
  close(): Promise<void>;
}

export interface EngineLoad {
  queued: number;
  running: number;
  workers: number;
}

export interface ServerHooks {
  /** The engine can no longer run queries (its workers cannot start): the process should end. */
  onFatal?: (error: Error) => void;
}

/**
 * JSON lines on stdout with ISO timestamps; no host name or pid noise. Written asynchronously in
 * blocks of 4 KiB or every LOG_FLUSH_MS, whichever comes first (a write per request line cost a
 * tenth of the main thread under load); the start and stop lines are flushed at once, and pino
 * flushes what is left when the process exits.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  if (destination) return pino(options, destination);
  const stdout = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => stdout.flush(), LOG_FLUSH_MS).unref();
  return pino(options, stdout);
}

/** Request lines wait at most this long for the block they go out in. */
const LOG_FLUSH_MS = 250;
/** Bytes in a MiB: the memory budget is configured, and logged, in MiB. */
const MIB = 1024 * 1024;

/**
 * Writes out the log lines still buffered, while the event loop runs. Left to the exit, they are
 * written by a synchronous flush that retries every failed write for ever: with the reader of
 * stdout gone (EPIPE), the process would never exit. Written here, a broken pipe is an error
 * event, after which pino stops writing to that destination.
 */
function flushLog(logger: Logger): Promise<void> {
  return new Promise((resolve) => logger.flush(() => resolve()));
}

export async function startServer(config: Config, logger: Logger = createLogger(config.logLevel), hooks: ServerHooks = {}): Promise<RunningServer> {
  const tokens = loadWriteTokens(config);
  if (config.store === 'sparql') return serveRemote(config, logger, tokens);
  if (tokens.length === 0) return serveReadOnly(config, logger, hooks);
  return serveWritable(config, logger, hooks, tokens);
}

/** What a server without write tokens serves: its workers, loaded, and the saved queries. */
interface ReadOnlyStart {
  engine: EmbeddedEngine;
  savedQueries: SavedQuery[];
  details: Record<string, unknown>;
}

/**
 * Without write tokens: the graph is built and checked in a thread of its own, which hands the
 * workers its dumps as the main thread's build would and then ends; this thread keeps no copy of
 * the data (reads of graphs and the dataset's counts go through the workers). When nothing the
 * graph is built from has changed since a start kept it, the workers load that instead.
 */
async function serveReadOnly(config: Config, logger: Logger, hooks: ServerHooks): Promise<RunningServer> {
  const cache = config.buildCache ? BuildCache.open(config) : undefined;
  const kept = cache ? await startFromCache(cache, config, logger, hooks) : undefined;
  const { engine, savedQueries, details } = kept ?? await buildWithWorkers(config, logger, hooks, cache);
  try {
    return await serve(config, logger, {
      engine, savedQueries, tokens: [], writer: undefined,
      readGraph: engineGraphReader(engine, config.maxResultRows, config.maxResultBytes),
      select: engineSelect(engine),
      stateDir: config.stateDir,
      stop: () => engine.close(),
      details,
    });
  } catch (error) {
    await engine.close();
    throw error;
  }
}

/**
 * The workers on the checked graph an earlier start kept, if it was built from the same files;
 * undefined when there is none, or when it is damaged or cannot be loaded (it is dropped, and the
 * caller builds).
 */
async function startFromCache(cache: BuildCache, config: Config, logger: Logger, hooks: ServerHooks): Promise<ReadOnlyStart | undefined> {
  const started = performance.now();
  const giveUp = async (error: unknown, message: string) => {
    logger.warn({ err: messageOf(error), dir: cache.dir }, message);
    // Only tidiness: a cache that cannot be removed is written over once this start's build is checked.
    await cache.drop().catch(() => undefined);
    return undefined;
  };
  let build: CachedBuild | undefined;
  try {
    build = await cache.read();
  } catch (error) {
    return giveUp(error, 'the build cache is damaged: building the graph');
  }
  if (!build) return undefined;
  // No build runs beside the workers: every core loads, while this thread reads the saved queries
  // (as the build's path does beside its thread).
  const options = { ...embeddedEngineOptions(config, logger, hooks), loadsAtOnce: availableParallelism() };
  const loading = EmbeddedEngine.startPacked(options, build.packed, build.size);
  loading.catch(() => undefined); // reported below, once the query list is read
  // Unchecked: the kept graph was checked with these same files (the fingerprint covers them).
  let savedQueries: SavedQuery[];
  try {
    savedQueries = loadSavedQueries(config.queriesDir);
  } catch (error) {
    await loading.then((engine) => engine.close(), () => undefined);
    throw error;
  }
  let engine: EmbeddedEngine;
  try {
    engine = await loading;
  } catch (error) {
    return giveUp(error, 'the build cache could not be loaded: building the graph');
  }
  logger.info({ dir: cache.dir, quads: build.size }, 'the checked graph is loaded from the build cache: nothing it was built from has changed');
  return { engine, savedQueries, details: { quads: build.size, workers: config.workers, loadMs: Math.round(performance.now() - started), replayedQuads: 0, buildCache: 'loaded' } };
}

/** The graph built and checked in a thread while the workers load its dumps; kept in `cache` once checked. */
async function buildWithWorkers(config: Config, logger: Logger, hooks: ServerHooks, cache: BuildCache | undefined): Promise<ReadOnlyStart> {
  const logged = embeddedEngineOptions(config, logger, hooks);
  let packedNow: (packed: PackedDataset) => void = () => undefined;
  const packed = new Promise<PackedDataset>((resolve) => { packedNow = resolve; });
  const options: EmbeddedEngineOptions = { ...logged, onPacked: (dataset) => { logged.onPacked?.(dataset); packedNow(dataset); } };
  // The workers start now on an empty first part, and load the data as the build thread posts it:
  // their start and the build thread's overlap (on the seed data each takes about 0.3 s).
  const early = EmbeddedEngine.begin(options, new Uint8Array(0));
  early.ready.catch(() => undefined); // a failure is reported when the start waits for it
  let starting: Promise<EmbeddedEngine> = early.ready;
  const thread = buildInThread(config, {
    onProgress: loadProgress(logger),
    onWarning: (message, details) => logger.warn(details, message),
    onDataLoaded: (nquads) => early.engine.continueLoading(nquads),
    onOpened: (rest) => {
      starting = workersGetRest(early, rest, options);
      starting.catch(() => undefined); // as above
    },
  });
  const stopAllAndThrow = async (error: unknown): Promise<never> => {
    await thread.stop();
    await early.engine.close();
    await starting.then((engine) => engine.close(), () => undefined);
    throw error;
  };
  // The query list is all this thread serves from the files: the build thread loads and checks
  // the rest. Parsing the ontology and shapes here too, with the closure, the union and a trial
  // run of each saved query, was half of this thread's work at a start on the seed data, while
  // the build thread and both workers wanted the two cores.
  let savedQueries: SavedQuery[];
  try {
    savedQueries = loadSavedQueries(config.queriesDir);
  } catch (error) {
    return stopAllAndThrow(error);
  }
  const build = await thread.built.catch(stopAllAndThrow);
  early.engine.buildEnded();
  const engine = await starting;
  // Only a graph of the files alone is kept: writes are checked with the graph at every start.
  if (cache && build.replayedQuads === 0) keepWhenPacked(cache, packed, build.quads, logger);
  return { engine, savedQueries, details: { quads: build.quads, workers: config.workers, loadMs: Math.round(build.loadMs), replayedQuads: build.replayedQuads } };
}

/** Writes the checked graph to the cache once the pool has gzipped it (after the start, beside the queries). */
function keepWhenPacked(cache: BuildCache, packed: Promise<PackedDataset>, size: number, logger: Logger): void {
  void packed
    .then((dataset) => cache.keep({ packed: dataset, size }))
    .then(
      (kept) => (kept
        ? logger.info({ dir: cache.dir }, 'the checked graph is kept in the build cache for the next start')
        : logger.warn({ dir: cache.dir }, 'the files changed while the graph was built: it is not kept in the build cache')),
      (error: unknown) => logger.warn({ err: messageOf(error), dir: cache.dir }, 'the checked graph could not be kept in the build cache'),
    );
}

/** With write tokens: this thread keeps the authoritative store, which writes read and change. */
async function serveWritable(config: Config, logger: Logger, hooks: ServerHooks, tokens: WriteToken[]): Promise<RunningServer> {
  const progress = { onProgress: loadProgress(logger) };
  const engineOptions = (store: GraphStore) => ({ ...embeddedEngineOptions(config, logger, hooks), store });
  // The workers start on the data as soon as it is loaded, and load it while this thread derives
  // the closure and the union, then checks the graph (on a large graph each takes seconds, and
  // this thread uses one core). Nothing is served before all of it is done.
  let early: ReturnType<typeof EmbeddedEngine.begin> | undefined;
  const opened = await openCurrentGraph(config, {
    writable: true,
    onWarning: (message, details) => logger.warn(details, message),
    onDataLoaded: (store) => {
      early = EmbeddedEngine.begin(engineOptions(store), store.dumpAll());
      early.ready.catch(() => undefined); // a failure is reported when the start waits for it
    },
    ...progress,
  }).catch(async (error: unknown) => {
    await early?.engine.close();
    throw error;
  });
  const starting = workersLoaded(early, opened, config, engineOptions);
  starting.catch(() => undefined); // a worker failing during the checks is reported after them, not as an unhandled rejection
  try {
    await checkCurrentGraph(opened, config, progress);
  } catch (error) {
    await starting.then((engine) => engine.close(), () => undefined);
    throw error;
  }
  early?.engine.buildEnded();
  const engine = await starting.catch(async (error: unknown) => {
    await opened.restored.journal?.close();
    throw error;
  });
  try {
    return await serveEmbedded(config, logger, engine, opened.kg, opened.restored, tokens);
  } catch (error) {
    await opened.restored.journal?.close();
    throw error;
  }
}

/** The workers started on the data get the rest, as `datasetAfterData` has it for an opened graph. */
function workersLoaded(early: ReturnType<typeof EmbeddedEngine.begin> | undefined, opened: OpenedGraph,
  config: Config, engineOptions: (store: GraphStore) => EmbeddedEngineOptions): Promise<EmbeddedEngine> {
  const options = engineOptions(opened.kg.store);
  if (!early) return EmbeddedEngine.start(options);
  return workersGetRest(early, datasetAfterData(opened, config.baseIri), options);
}

/** The rest after the data's part, or, for a dump of everything, workers started again on it. */
async function workersGetRest(early: ReturnType<typeof EmbeddedEngine.begin>, rest: DatasetAfterData,
  options: EmbeddedEngineOptions): Promise<EmbeddedEngine> {
  if (!rest.whole) {
    early.engine.finishLoading(rest);
    return early.ready;
  }
  await early.engine.close();
  return EmbeddedEngine.start(options, rest);
}

/** A URL as it may be logged: user and password, if written into it, left out. */
function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}

/** A log line every two seconds while a large graph loads and is checked (none for a small one). */
function loadProgress(logger: Logger): (progress: BuildProgress) => void {
  const stepStarted = new Map<string, number>();
  let last = performance.now();
  return (progress) => {
    const now = performance.now();
    if (!stepStarted.has(progress.step)) stepStarted.set(progress.step, now);
    if (now - last < 2000) return;
    last = now;
    const seconds = (now - stepStarted.get(progress.step)!) / 1000;
    logger.info({ ...progress, perSecond: seconds > 0 ? Math.round(progress.done / seconds) : 0 }, BUILD_STEP_NAMES[progress.step]);
  };
}

/** Everything the HTTP side needs, whichever engine holds the data. */
interface Composition {
  engine: RunningServer['engine'];
  savedQueries: SavedQuery[];
  tokens: WriteToken[];
  writer: Writer | undefined;
  readGraph: WriteContext['readGraph'];
  select: SelectValues;
  stateDir?: string;
  /** Stops what the composition started (after the HTTP server has closed). */
  stop(): Promise<void>;
  /** For the start log line. */
  details: Record<string, unknown>;
}

/** Over a remote SPARQL store: optionally push the data first, then serve from the store. */
async function serveRemote(config: Config, logger: Logger, tokens: WriteToken[]): Promise<RunningServer> {
  // Imported here: its HTTP client (undici) took a tenth of a second of every embedded start.
  const { openRemoteStore } = await import('./remote-store.ts');
  const remote = await openRemoteStore(config, logger, { writable: tokens.length > 0 });
  try {
    return await serve(config, logger, {
      engine: remote.engine,
      savedQueries: remote.kg.savedQueries,
      tokens,
      writer: remote.writer,
      readGraph: remote.readGraph,
      select: engineSelect(remote.engine),
      stop: () => remote.engine.close(),
      details: { store: withoutCredentials(config.storeQueryUrl!), graphs: remote.graphs, loadMs: Math.round(remote.kg.loadMs) },
    });
  } catch (error) {
    await remote.engine.close();
    throw error;
  }
}

function embeddedEngineOptions(config: Config, logger: Logger, hooks: ServerHooks): EmbeddedEngineOptions {
  return {
    workers: config.workers,
    maxWorkers: config.maxWorkers,
    memoryBudget: config.memoryBudgetMb * MIB,
    // Read before the workers start (and before the build thread, where there is one): a pool made
    // again later, for a replay's whole dump, would count the build thread's memory as the process's own.
    memoryBefore: process.memoryUsage.rss(),
    timeoutMs: config.queryTimeoutMs,
    maxQueue: config.maxQueue,
    onReplace: (reason) => logger.warn({ reason }, 'query worker replaced'),
    onAdd: (added) => logger.info(added, 'query workers added beside heavy queries'),
    onOverBudget: ({ workers, wanted, residentBytes, copyBytes, budgetBytes }) => logger.info({
      workers, wanted, residentMb: Math.round(residentBytes / MIB), copyMb: Math.round(copyBytes / MIB), budgetMb: budgetBytes / MIB,
    }, 'no more query workers for now: one more copy of the store would pass the memory budget (KG_MEMORY_BUDGET_MB)'),
    onPacked: ({ rawBytes, packedBytes }) => logger.info({ rawBytes, packedBytes }, 'the dataset kept for later workers is gzipped'),
    onDispatch: (job) => logger.debug({
      queryHash: job.queryHash,
      engine: job.kind === 'federated' ? 'comunica' : job.kind === 'dump' ? 'dump' : 'oxigraph',
    }, 'query started'),
    onFatal: (error) => {
      logger.fatal({ err: error.message }, 'query engine failed');
      hooks.onFatal?.(error);
    },
  };
}

async function serveEmbedded(config: Config, logger: Logger, engine: EmbeddedEngine, kg: KnowledgeGraph,
  restored: RestoredState, tokens: WriteToken[]): Promise<RunningServer> {
  const writer = restored.journal && createWriter(kg, config, restored.journal, {
    publish: (change: QuadChange) => engine.publish(change),
    onSnapshot: (outcome) => ('error' in outcome ? logger.error(outcome, 'snapshot failed') : logger.info(outcome, 'snapshot written')),
  });
  try {
    return await serve(config, logger, {
      engine, savedQueries: kg.savedQueries, tokens, writer,
      readGraph: storeGraphReader(kg.store, writer),
      select: storeSelect(kg.store),
      stateDir: config.stateDir,
      stop: async () => {
        await engine.close();
        await restored.journal?.close();
      },
      details: { quads: kg.store.size, workers: config.workers, loadMs: Math.round(kg.loadMs), replayedQuads: restored.replayedQuads },
    });
  } catch (error) {
    await engine.close();
    throw error;
  }
}

async function serve(config: Config, logger: Logger, parts: Composition): Promise<RunningServer> {
  const { engine, tokens, writer } = parts;
  const graphs = writeGraphs(config.baseIri);
  // The counts of VoID and the service description: made when first read (on a large graph they
  // take seconds, which a start should not wait for), and again after a write.
  // Counted under the writer's lock, so that no commit lands in the middle of the counts.
  const summary = rememberedSummary(() => (writer
    ? writer.exclusive(() => summarizeDataset(parts.select, config.baseIri))
    : summarizeDataset(parts.select, config.baseIri)));
  writer?.onCommit(() => summary.forget());
  const federation = { allowList: config.federationAllow, timeoutMs: config.federationTimeoutMs, maxBytes: config.federationMaxBytes };
  const writes: WriteContext = {
    tokens,
    ...(writer ? { writer } : {}),
    readGraph: parts.readGraph,
    baseIri: config.baseIri,
    graphs,
    update: {
      baseIri: config.baseIri,
      defaultGraph: graphs.defaultGraph,
      isProtected: (graph) => graphs.protectedGraphs.has(graph),
      maxWriteQuads: config.maxWriteQuads,
      load: documentLoader(federation),
    },
    maxResultRows: config.maxResultRows,
    ...(parts.stateDir ? { stateDir: parts.stateDir } : {}),
  };
  const app = createApp({ config, engine, summary: () => summary.get(), savedQueries: parts.savedQueries, logger, writes });
  // A failure to listen is handed back: the caller stops what it started.
  const server = await listen(app, config);
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({
    url, ...parts.details,
    writes: writer ? `on (${tokens.map((token) => token.name).join(', ')})` : 'off',
  }, 'listening');
  // Whoever started the server waits for this line.
  logger.flush();

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await new Promise<void>((resolve) => {
        // Past the deadline, connections still open (a slow client, a long query) are cut.
        const deadline = setTimeout(() => {
          logger.warn({ connections: 'closed' }, `requests still open after ${config.shutdownTimeoutMs} ms (KG_SHUTDOWN_TIMEOUT_MS) were cut`);
          server.closeAllConnections();
        }, config.shutdownTimeoutMs);
        server.close(() => {
          clearTimeout(deadline);
          resolve();
        });
        server.closeIdleConnections();
      });
      // The write in progress, if any, finishes (or fails) before the journal closes.
      if (writer) await writer.exclusive(() => undefined);
      await parts.stop();
      await flushLog(logger);
    })();
    return closing;
  };
  return { url, server, engine, logger, close, ...(writer ? { writer } : {}) };
}

/**
 * Listens with the slow-client limits: the headers within KG_HEADERS_TIMEOUT_MS, the whole request
 * within KG_REQUEST_TIMEOUT_MS (Node checks them every second here, not every 30 s).
 */
function listen(app: ReturnType<typeof createApp>, config: Config): Promise<Server> {
  const server = createServer({
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, config.headersTimeoutMs),
  }, app);
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = `${config.host}:${config.port}`;
      if (error.code === 'EADDRINUSE') reject(new Error(`cannot listen on ${where}: the address is already in use (set PORT or --port)`));
      else if (error.code === 'EACCES') reject(new Error(`cannot listen on ${where}: permission denied`));
      else reject(new Error(`cannot listen on ${where}: ${error.message}`));
    });
    server.listen(config.port, config.host, () => resolve(server));
  });
}
