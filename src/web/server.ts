// Starts the HTTP server: builds and validates the graph, starts the query workers, listens,
// and shuts down gracefully.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { createApp } from './app.ts';
import type { Config } from '../core/config.ts';
import type { KnowledgeGraph } from '../dataset/build.ts';
import { EmbeddedEngine } from '../engine/embedded/embedded-engine.ts';
import { summarizeDataset, type DatasetSummary } from '../dataset/summary.ts';
import type { QuadChange } from '../engine/engine.ts';
import { buildCurrentGraph, createWriter, writeGraphs, type RestoredState } from '../writes/state.ts';
import { loadWriteTokens } from '../writes/tokens.ts';
import type { Writer } from '../writes/writer.ts';
import { documentLoader } from '../writes/load-document.ts';
import type { WriteContext } from '../protocol/write-context.ts';

export interface RunningServer {
  /** http://host:port, with the port actually bound. */
  url: string;
  server: Server;
  engine: EmbeddedEngine;
  logger: Logger;
  /** Absent when no write token is configured. */
  writer?: Writer;
  /**
   * Stops accepting connections, lets in-flight requests finish (cutting those still open after
   * KG_SHUTDOWN_TIMEOUT_MS), then stops the workers.
   */
  close(): Promise<void>;
}

export interface ServerHooks {
  /** The engine can no longer run queries (its workers cannot start): the process should end. */
  onFatal?: (error: Error) => void;
}

/** JSON lines on stdout with ISO timestamps; no host name or pid noise. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options);
}

export async function startServer(config: Config, logger: Logger = createLogger(config.logLevel), hooks: ServerHooks = {}): Promise<RunningServer> {
  const tokens = loadWriteTokens(config);
  const { kg, restored } = await buildCurrentGraph(config, {
    writable: tokens.length > 0,
    onWarning: (message, details) => logger.warn(details, message),
  });
  try {
    return await serve(config, logger, hooks, kg, restored, tokens);
  } catch (error) {
    await restored.journal?.close();
    throw error;
  }
}

async function serve(config: Config, logger: Logger, hooks: ServerHooks, kg: KnowledgeGraph,
  restored: RestoredState, tokens: ReturnType<typeof loadWriteTokens>): Promise<RunningServer> {
  let summary: DatasetSummary | undefined = summarizeDataset(kg.store, config.baseIri);
  const triples = summary.triples;
  const engine = await EmbeddedEngine.start({
    workers: config.workers,
    maxWorkers: config.maxWorkers,
    timeoutMs: config.queryTimeoutMs,
    maxQueue: config.maxQueue,
    store: kg.store,
    onReplace: (reason) => logger.warn({ reason }, 'query worker replaced'),
    onDispatch: (job) => logger.debug({
      queryHash: job.queryHash,
      engine: job.kind === 'federated' ? 'comunica' : job.kind === 'dump' ? 'dump' : 'oxigraph',
    }, 'query started'),
    onFatal: (error) => {
      logger.fatal({ err: error.message }, 'query engine failed');
      hooks.onFatal?.(error);
    },
  });
  const graphs = writeGraphs(config.baseIri);
  const publish = (change: QuadChange) => {
    summary = undefined;
    return engine.publish(change);
  };
  const writer = restored.journal && createWriter(kg, config, restored.journal, {
    publish,
    onSnapshot: (outcome) => ('error' in outcome ? logger.error(outcome, 'snapshot failed') : logger.info(outcome, 'snapshot written')),
  });
  const federation = { allowList: config.federationAllow, timeoutMs: config.federationTimeoutMs, maxBytes: config.federationMaxBytes };
  const writes: WriteContext = {
    tokens,
    ...(writer ? { writer } : {}),
    store: kg.store,
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
    stateDir: config.stateDir,
  };
  const currentSummary = async () => {
    summary ??= await (writer ? writer.exclusive(() => summarizeDataset(kg.store, config.baseIri)) : summarizeDataset(kg.store, config.baseIri));
    return summary;
  };
  const app = createApp({ config, engine, summary: currentSummary, savedQueries: kg.savedQueries, logger, writes });
  let server: Server;
  try {
    server = await listen(app, config);
  } catch (error) {
    await engine.close();
    await restored.journal?.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({
    url, triples, workers: config.workers, loadMs: Math.round(kg.loadMs),
    writes: writer ? `on (${tokens.map((token) => token.name).join(', ')})` : 'off',
    replayedQuads: restored.replayedQuads,
  }, 'listening');

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
      await engine.close();
      await restored.journal?.close();
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
