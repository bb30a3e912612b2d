// createApp: the whole HTTP surface, mounted in one visible order: the query front (query-front.ts)
// answers query requests on node:http itself, and passes everything else to the Express app.

import type { RequestListener } from 'node:http';
import express from 'express';
import cors from 'cors';
import { DataFactory } from '../core/n3.ts';
import type { Logger } from 'pino';
import { notFound } from '../core/errors.ts';
import type { Config } from '../core/config.ts';
import { PLAIN_TEXT } from '../core/formats.ts';
import type { DatasetSummary } from '../dataset/summary.ts';
import type { SavedQuery } from '../dataset/saved-queries.ts';
import { savedQueryQuads } from '../dataset/saved-queries-rdf.ts';
import type { Engine } from '../engine/engine.ts';
import type { QueryContext } from '../protocol/query.ts';
import { STORE_METHODS } from '../protocol/graph-store.ts';
import { requestLog } from './request-log.ts';
import { errorHandler } from './error-handler.ts';
import { sparqlRoutes } from './sparql.ts';
import { savedQueryRoutes } from './saved-queries.ts';
import { exportRoutes } from './export.ts';
import { ontologyRoutes } from './linked-data/ontology-doc.ts';
import { linkedDataRoutes } from './linked-data/routes.ts';
import { queryPageRoutes } from './ui/query-page.ts';
import { writeRoutes } from './writes.ts';
import { exploreRoutes } from './explore/routes.ts';
import { EVERY_ANSWER_HEADERS } from './exchange.ts';
import { withQueryFront } from './query-front.ts';
import type { WriteContext } from '../protocol/write-context.ts';

export interface AppDependencies {
  config: Config;
  engine: Engine;
  /** Counts for the VoID and service descriptions, as of the last write. */
  summary: () => Promise<DatasetSummary>;
  savedQueries: SavedQuery[];
  logger: Logger;
  writes: WriteContext;
}

/** Methods any route takes: reads everywhere, writes on /sparql, /store and /sources. */
const CORS_METHODS = STORE_METHODS;

/** The whole surface as a node:http listener: the query front, then the Express app. */
export function createApp({ config, engine, summary, savedQueries, logger, writes }: AppDependencies): RequestListener {
  const context: QueryContext = {
    engine,
    baseIri: config.baseIri,
    maxQueryLength: config.maxQueryLength,
    maxQueryDepth: config.maxQueryDepth,
    maxResultBytes: config.maxResultBytes,
    maxResultRows: config.maxResultRows,
    federation: { allowList: config.federationAllow, timeoutMs: config.federationTimeoutMs, maxBytes: config.federationMaxBytes },
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use(requestLog(logger));
  app.use((_req, res, next) => {
    res.set(EVERY_ANSWER_HEADERS);
    next();
  });
  // Preflights for writes from any origin (the headers of other answers are in EVERY_ANSWER_HEADERS).
  app.use(cors({ origin: '*', methods: CORS_METHODS, maxAge: 86_400 }));

  // Browsers ask for it on every page; there is none (no 404 noise in logs and consoles).
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  app.get('/health', (_req, res) => {
    res.type(PLAIN_TEXT).send('ok\n');
  });
  app.use(sparqlRoutes({
    ...context,
    summary,
    maxBodyBytes: config.maxBodyBytes,
    maxUploadBytes: config.maxUploadBytes,
    writes,
    // The saved queries are part of the service description, so clients can discover them there.
    describeService: () => savedQueryQuads(savedQueries, config.baseIri).map((q) => DataFactory.quad(q.subject, q.predicate, q.object)),
  }));
  app.use(writeRoutes({ ...writes, maxUploadBytes: config.maxUploadBytes }));
  app.use(savedQueryRoutes(savedQueries, context));
  app.use(exportRoutes({ ...context, ...(writes.writer ? { onCommit: (listener: () => void) => writes.writer!.onCommit(listener) } : {}) }));
  app.use(ontologyRoutes(context));
  // Before the linked-data pages: /page/text/{slug} is a text's document view.
  app.use(exploreRoutes({ engine, baseIri: config.baseIri, maxResultBytes: config.maxResultBytes }));
  app.use(linkedDataRoutes(context));
  app.use(queryPageRoutes(savedQueries));

  app.use((req) => {
    throw notFound(`nothing here: ${req.path}`);
  });
  app.use(errorHandler(logger));
  return withQueryFront(app, { context, maxBodyBytes: config.maxBodyBytes, logger });
}
