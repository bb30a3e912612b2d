// createApp: the whole HTTP surface, mounted in one visible order.

import express from 'express';
import cors from 'cors';
import { DataFactory } from 'n3';
import type { Logger } from 'pino';
import { requestLog } from './http/request-log.ts';
import { errorHandler } from './http/error-handler.ts';
import { sendQuads } from './http/rdf-response.ts';
import { notFound } from './errors.ts';
import { sparqlEndpoint, origin, ALLOWED_METHODS, type QueryExecutor } from './sparql/protocol.ts';
import { voidDescription, serviceUrls } from './sparql/service-description.ts';
import type { DatasetSummary } from './sparql/dataset-summary.ts';
import type { Config } from './config.ts';
import type { SavedQuery } from './saved-queries/catalog.ts';
import { savedQueryRoutes } from './saved-queries/routes.ts';
import { savedQueryQuads } from './saved-queries/as-rdf.ts';
import { exportRoutes } from './export/routes.ts';
import { ontologyRoutes } from './linked-data/ontology-doc.ts';
import { linkedDataRoutes } from './linked-data/routes.ts';
import { queryPageRoutes } from './ui/query-page.ts';

export interface AppDependencies {
  config: Config;
  executor: QueryExecutor;
  summary: DatasetSummary;
  savedQueries: SavedQuery[];
  logger: Logger;
}

export const VOID_PATH = '/.well-known/void';

export function createApp({ config, executor, summary, savedQueries, logger }: AppDependencies): express.Express {
  const queryOptions = {
    executor,
    baseIri: config.baseIri,
    maxQueryLength: config.maxQueryLength,
    maxResultBytes: config.maxResultBytes,
    federation: { allowList: config.federationAllow, timeoutMs: config.federationTimeoutMs, maxBytes: config.federationMaxBytes },
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use(requestLog(logger));
  // The data is public and read-only: any origin may query it (preflight answered here).
  app.use(cors({ origin: '*', methods: ALLOWED_METHODS, maxAge: 86_400 }));

  app.get('/health', (_req, res) => {
    res.type('text/plain').send('ok\n');
  });
  app.use(sparqlEndpoint({
    ...queryOptions,
    summary,
    maxBodyBytes: config.maxBodyBytes,
    // The saved queries are part of the service description, so clients can discover them there.
    describeService: () => savedQueryQuads(savedQueries, config.baseIri).map((q) => DataFactory.quad(q.subject, q.predicate, q.object)),
  }));
  app.get(VOID_PATH, (req, res) => {
    sendQuads(req, res, voidDescription(summary, serviceUrls(origin(req), config.baseIri)));
  });
  app.use(savedQueryRoutes(savedQueries, queryOptions));
  app.use(exportRoutes(queryOptions));
  app.use(ontologyRoutes(queryOptions));
  app.use(linkedDataRoutes(queryOptions));
  app.use(queryPageRoutes(savedQueries));

  app.use((req) => {
    throw notFound(`nothing here: ${req.path}`);
  });
  app.use(errorHandler(logger));
  return app;
}
