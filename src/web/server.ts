// Starts the HTTP server: builds and validates the graph, starts the query workers, listens,
// and shuts down gracefully.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { createApp } from './app.ts';
import type { Config } from '../core/config.ts';
import { buildKnowledgeGraph } from '../dataset/build.ts';
import { EmbeddedEngine } from '../engine/embedded/embedded-engine.ts';
import { summarizeDataset } from '../dataset/summary.ts';

export interface RunningServer {
  /** http://host:port, with the port actually bound. */
  url: string;
  server: Server;
  engine: EmbeddedEngine;
  logger: Logger;
  /** Stops accepting connections, lets in-flight requests finish, then stops the workers. */
  close(): Promise<void>;
}

/** JSON lines on stdout with ISO timestamps; no host name or pid noise. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options);
}

export async function startServer(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  const kg = await buildKnowledgeGraph(config);
  const summary = summarizeDataset(kg.store, config.baseIri);
  const engine = await EmbeddedEngine.start({
    workers: config.workers,
    timeoutMs: config.queryTimeoutMs,
    maxQueue: config.maxQueue,
    nquads: kg.store.dumpAll(),
    onReplace: (reason) => logger.warn({ reason }, 'query worker replaced'),
    onDispatch: (job) => logger.debug({
      queryHash: job.queryHash,
      engine: job.kind === 'federated' ? 'comunica' : job.kind === 'dump' ? 'dump' : 'oxigraph',
    }, 'query started'),
  });
  const app = createApp({ config, engine, summary, savedQueries: kg.savedQueries, logger });
  const server = await listen(app, config);
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, triples: summary.triples, workers: config.workers, loadMs: Math.round(kg.loadMs) }, 'listening');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await engine.close();
    })();
    return closing;
  };
  return { url, server, engine, logger, close };
}

function listen(app: ReturnType<typeof createApp>, config: Config): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(config.port, config.host, (error?: Error) => (error ? reject(error) : resolve(server)));
    server.on('error', reject);
  });
}
