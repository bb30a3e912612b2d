// createApp: the whole HTTP surface, mounted in one visible order.

import express from 'express';
import cors from 'cors';
import type { Logger } from 'pino';
import { requestLog } from './http/request-log.ts';
import { errorHandler } from './http/error-handler.ts';
import { sendQuads } from './http/rdf-response.ts';
import { notFound } from './errors.ts';
import { sparqlEndpoint, origin, ALLOWED_METHODS, type QueryExecutor } from './sparql/protocol.ts';
import { voidDescription, serviceUrls } from './sparql/service-description.ts';
import type { DatasetSummary } from './sparql/dataset-summary.ts';
import type { Config } from './config.ts';

export interface AppDependencies {
  config: Config;
  executor: QueryExecutor;
  summary: DatasetSummary;
  logger: Logger;
}

export const VOID_PATH = '/.well-known/void';

export function createApp({ config, executor, summary, logger }: AppDependencies): express.Express {
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
    executor,
    summary,
    baseIri: config.baseIri,
    maxBodyBytes: config.maxBodyBytes,
    maxQueryLength: config.maxQueryLength,
    maxResultBytes: config.maxResultBytes,
  }));
  app.get(VOID_PATH, (req, res) => {
    sendQuads(req, res, voidDescription(summary, serviceUrls(origin(req), config.baseIri)));
  });

  app.use((req) => {
    throw notFound(`nothing here: ${req.path}`);
  });
  app.use(errorHandler(logger));
  return app;
}
