// /sparql over Express: the protocol's query operation and service description, plus /.well-known/void.

import express, { type Router } from 'express';
import type * as RDF from '@rdfjs/types';
import type { DatasetSummary } from '../dataset/summary.ts';
import {
  SPARQL_PATH, answerQuery, asksForServiceDescription, hashOf, postKind, queryViaGet, queryViaPostDirect, queryViaPostForm,
  refuseMethod, type QueryContext, type QueryOperation,
} from '../protocol/query.ts';
import { performUpdate, updateViaPostDirect, updateViaPostForm } from '../protocol/update.ts';
import { authorize, type WriteContext } from '../protocol/write-context.ts';
import { graphResponse } from '../protocol/graph-response.ts';
import { VOID_PATH, serviceDescription, serviceUrls, voidDescription, type ServiceUrls } from '../protocol/service-description.ts';
import type { ProtocolRequest } from '../protocol/exchange.ts';
import { clientGone, protocolRequest, sendResponse } from './exchange.ts';
import { readBody } from './body.ts';

export interface SparqlRoutesOptions extends QueryContext {
  summary: () => Promise<DatasetSummary>;
  maxBodyBytes: number;
  /** Bodies of updates are read up to this. */
  maxUploadBytes: number;
  writes: WriteContext;
  /** Extra triples for the service description (the saved queries, for one). */
  describeService?: (urls: ServiceUrls) => RDF.Quad[];
}

export function sparqlRoutes(options: SparqlRoutesOptions): Router {
  const router = express.Router();
  router.get(SPARQL_PATH, async (req, res) => {
    const request = protocolRequest(req);
    if (asksForServiceDescription(request.url)) {
      const urls = serviceUrls(request.origin, options.baseIri);
      const federation = options.federation.allowList.length > 0;
      sendResponse(res, graphResponse(request, [
        ...serviceDescription(await options.summary(), urls, { federation, updates: options.writes.tokens.length > 0 }),
        ...(options.describeService?.(urls) ?? []),
      ]));
      return;
    }
    await run(res, request, queryViaGet(request.url));
  });

  // The content type (and, for an update, the token) is checked before the body is read.
  router.post(SPARQL_PATH, async (req, res) => {
    const request: ProtocolRequest = protocolRequest(req);
    const kind = postKind(request);
    if (kind === 'update') {
      const { author, writer } = authorize(options.writes, request);
      res.locals.author = author;
      // postKind checked that the body is UTF-8.
      const body = (await readBody(req, options.maxUploadBytes, 'KG_MAX_UPLOAD_BYTES')).toString('utf8');
      sendResponse(res, await performUpdate(writer, author, updateViaPostDirect(request.url, body), options.writes));
      return;
    }
    const body = (await readBody(req, options.maxBodyBytes, 'KG_MAX_BODY_BYTES')).toString('utf8');
    if (kind === 'query') return run(res, { ...request, body }, queryViaPostDirect(request.url, body));
    const form = new URLSearchParams(body);
    if (!form.has('update')) return run(res, { ...request, body }, queryViaPostForm(request.url, form));
    const { author, writer } = authorize(options.writes, request);
      res.locals.author = author;
    sendResponse(res, await performUpdate(writer, author, updateViaPostForm(request.url, form), options.writes));
  });

  router.all(SPARQL_PATH, (req) => refuseMethod(req.method));

  router.get(VOID_PATH, async (req, res) => {
    const request = protocolRequest(req);
    sendResponse(res, graphResponse(request, voidDescription(await options.summary(), serviceUrls(request.origin, options.baseIri))));
  });

  const run = (res: express.Response, request: ProtocolRequest, operation: QueryOperation) => sendQueryAnswer(res, request, operation, options);
  return router;
}

/** Answers a checked query operation: logged by its hash, dropped when the client goes away. */
export async function sendQueryAnswer(res: express.Response, request: ProtocolRequest, operation: QueryOperation, context: QueryContext): Promise<void> {
  res.locals.queryHash = hashOf(operation.query);
  sendResponse(res, await answerQuery(request, operation, context, { signal: clientGone(res), queryHash: res.locals.queryHash }));
}
