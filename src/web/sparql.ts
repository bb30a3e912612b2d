// /sparql over Express: the protocol's query operation and service description, plus /.well-known/void.

import express, { type Router } from 'express';
import type * as RDF from '@rdfjs/types';
import type { DatasetSummary } from '../dataset/summary.ts';
import {
  SPARQL_PATH, answerQuery, asksForServiceDescription, checkPostContentType, hashOf, queryViaGet, queryViaPost,
  refuseMethod, type QueryContext, type QueryOperation,
} from '../protocol/query.ts';
import { graphResponse } from '../protocol/graph-response.ts';
import { VOID_PATH, serviceDescription, serviceUrls, voidDescription, type ServiceUrls } from '../protocol/service-description.ts';
import type { ProtocolRequest } from '../protocol/exchange.ts';
import { clientGone, protocolRequest, sendResponse } from './exchange.ts';

export interface SparqlRoutesOptions extends QueryContext {
  summary: DatasetSummary;
  maxBodyBytes: number;
  /** Extra triples for the service description (the saved queries, for one). */
  describeService?: (urls: ServiceUrls) => RDF.Quad[];
}

export function sparqlRoutes(options: SparqlRoutesOptions): Router {
  const router = express.Router();
  const readBody = express.text({ type: () => true, limit: options.maxBodyBytes, defaultCharset: 'utf-8' });

  router.get(SPARQL_PATH, async (req, res) => {
    const request = protocolRequest(req);
    if (asksForServiceDescription(request.url)) {
      const urls = serviceUrls(request.origin, options.baseIri);
      const federation = options.federation.allowList.length > 0;
      sendResponse(res, graphResponse(request, [
        ...serviceDescription(options.summary, urls, { federation }),
        ...(options.describeService?.(urls) ?? []),
      ]));
      return;
    }
    await run(res, request, queryViaGet(request.url));
  });

  // The content type is checked before the body is read; the request is built once for both steps.
  router.post(SPARQL_PATH, (req, res, next) => {
    const request = protocolRequest(req);
    checkPostContentType(request);
    res.locals.protocolRequest = request;
    next();
  }, readBody, async (req, res) => {
    const request: ProtocolRequest = { ...res.locals.protocolRequest, body: typeof req.body === 'string' ? req.body : '' };
    await run(res, request, queryViaPost(request));
  });

  router.all(SPARQL_PATH, (req) => refuseMethod(req.method));

  router.get(VOID_PATH, (req, res) => {
    const request = protocolRequest(req);
    sendResponse(res, graphResponse(request, voidDescription(options.summary, serviceUrls(request.origin, options.baseIri))));
  });

  const run = (res: express.Response, request: ProtocolRequest, operation: QueryOperation) => sendQueryAnswer(res, request, operation, options);
  return router;
}

/** Answers a checked query operation: logged by its hash, dropped when the client goes away. */
export async function sendQueryAnswer(res: express.Response, request: ProtocolRequest, operation: QueryOperation, context: QueryContext): Promise<void> {
  res.locals.queryHash = hashOf(operation.query);
  sendResponse(res, await answerQuery(request, operation, context, { signal: clientGone(res), queryHash: res.locals.queryHash }));
}
