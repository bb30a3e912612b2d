// createApp: the whole HTTP surface, mounted in one visible order.

import express from 'express';
import cors from 'cors';
import { DataFactory } from 'n3';
import type { Logger } from 'pino';
import { notFound } from '../core/errors.ts';
import type { Config } from '../core/config.ts';
import { PLAIN_TEXT } from '../core/formats.ts';
import type { DatasetSummary } from '../dataset/summary.ts';
import type { SavedQuery } from '../dataset/saved-queries.ts';
import { savedQueryQuads } from '../dataset/saved-queries-rdf.ts';
import type { Engine } from '../engine/engine.ts';
import { ALLOWED_METHODS, type QueryContext } from '../protocol/query.ts';
import { requestLog } from './request-log.ts';
import { errorHandler } from './error-handler.ts';
import { sparqlRoutes } from './sparql.ts';
import { savedQueryRoutes } from './saved-queries.ts';
import { exportRoutes } from './export.ts';
import { ontologyRoutes } from './linked-data/ontology-doc.ts';
import { linkedDataRoutes } from './linked-data/routes.ts';
import { queryPageRoutes } from './ui/query-page.ts';

export interface AppDependencies {
  config: Config;
  engine: Engine;
  summary: DatasetSummary;
  savedQueries: SavedQuery[];
  logger: Logger;
}

export function createApp({ config, engine, summary, savedQueries, logger }: AppDependencies): express.Express {
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
  // The data is public and read-only: any origin may query it (preflight answered here).
  app.use(cors({ origin: '*', methods: ALLOWED_METHODS, maxAge: 86_400 }));

  app.get('/health', (_req, res) => {
    res.type(PLAIN_TEXT).send('ok\n');
  });
  app.use(sparqlRoutes({
    ...context,
    summary,
    maxBodyBytes: config.maxBodyBytes,
    // The saved queries are part of the service description, so clients can discover them there.
    describeService: () => savedQueryQuads(savedQueries, config.baseIri).map((q) => DataFactory.quad(q.subject, q.predicate, q.object)),
  }));
  app.use(savedQueryRoutes(savedQueries, context));
  app.use(exportRoutes(context));
  app.use(ontologyRoutes(context));
  app.use(linkedDataRoutes(context));
  app.use(queryPageRoutes(savedQueries));

  app.use((req) => {
    throw notFound(`nothing here: ${req.path}`);
  });
  app.use(errorHandler(logger));
  return app;
}
