// The query operation on node:http itself, in front of the Express app. GET /sparql?query=… and
// POST /sparql with an application/sparql-query body are most of what a SPARQL endpoint serves,
// and for a light query the router, middleware and response helpers of Express cost more than
// running the query (bench/results: the table "request path"). Everything else (the service
// description, forms, updates, preflights, every page) goes on to the app. The answer is the same
// on both paths: the protocol layer does the work, and the headers, error answers and log line
// come from the same functions. Query answers carry no ETag: they are not cached (as with Fuseki
// and Oxigraph's server), and hashing every body cost more than a light query.

import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { REQUEST_MEDIA_TYPES } from '../core/formats.ts';
import { SPARQL_PATH, answerQuery, asksForServiceDescription, hashOf, postKind, queryViaGet, queryViaPostDirect, type QueryContext, type QueryOperation } from '../protocol/query.ts';
import type { ProtocolRequest, ProtocolResponse } from '../protocol/exchange.ts';
import { urlParams } from '../protocol/params.ts';
import { readBody } from './body.ts';
import { errorAnswer } from './error-handler.ts';
import { EVERY_ANSWER_HEADERS, clientGone } from './exchange.ts';
import { logRequest, pathOf } from './request-log.ts';

export interface QueryFrontOptions {
  context: QueryContext;
  /** Query bodies are read up to this. */
  maxBodyBytes: number;
  logger: Logger;
}

/** `app`, with the query requests answered before they reach it. */
export function withQueryFront(app: RequestListener, options: QueryFrontOptions): RequestListener {
  return (req, res) => {
    const query = queryRequest(req);
    if (!query) {
      app(req, res);
      return;
    }
    void answer(req, res, query, options);
  };
}

interface QueryRequest {
  kind: 'get' | 'post';
  /** The URL's parameters, parsed once. */
  url: URLSearchParams;
}

/** The query requests the front answers; undefined sends the request on to the app. */
function queryRequest(req: IncomingMessage): QueryRequest | undefined {
  const target = req.url ?? '';
  if (!target.startsWith(SPARQL_PATH) || pathOf(target) !== SPARQL_PATH) return undefined;
  if (req.method === 'GET' || req.method === 'HEAD') {
    const url = urlParams(target);
    // No parameters but `format`: the service description, which the app serves.
    return asksForServiceDescription(url) ? undefined : { kind: 'get', url };
  }
  const contentType = req.headers['content-type'];
  if (req.method === 'POST' && contentType?.split(';')[0]!.trim().toLowerCase() === REQUEST_MEDIA_TYPES.query) return { kind: 'post', url: urlParams(target) };
  return undefined;
}

async function answer(req: IncomingMessage, res: ServerResponse, query: QueryRequest, options: QueryFrontOptions): Promise<void> {
  const started = performance.now();
  const path = SPARQL_PATH;
  let queryHash: string | undefined;
  let error: string | undefined;
  res.once('finish', () => logRequest(options.logger, {
    method: req.method ?? '', path, status: res.statusCode, ms: performance.now() - started,
    ...(queryHash ? { queryHash } : {}), ...(error ? { error } : {}),
  }));
  try {
    const request = protocolRequestOf(req, query.url);
    let operation: QueryOperation;
    if (query.kind === 'get') {
      operation = queryViaGet(request.url);
    } else {
      postKind(request);
      const body = (await readBody(req, options.maxBodyBytes, 'KG_MAX_BODY_BYTES')).toString('utf8');
      operation = queryViaPostDirect(request.url, body);
    }
    queryHash = hashOf(operation.query);
    send(res, await answerQuery(request, operation, options.context, { signal: clientGone(res), queryHash }));
  } catch (failure) {
    const answered = errorAnswer(failure, options.logger, { method: req.method ?? '', path });
    error = answered.message;
    if (res.headersSent) res.end();
    else send(res, { status: answered.status, headers: answered.headers, body: `${answered.message}\n` });
  }
}

function protocolRequestOf(req: IncomingMessage, url: URLSearchParams): ProtocolRequest {
  return {
    method: req.method ?? 'GET',
    url,
    header: (name) => {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    origin: `${(req.socket as TLSSocket).encrypted ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`,
  };
}

/** Writes an answer in one go, with the headers every answer carries and its length. */
function send(res: ServerResponse, response: ProtocolResponse): void {
  res.writeHead(response.status, {
    ...EVERY_ANSWER_HEADERS,
    ...response.headers,
    'Content-Length': String(Buffer.byteLength(response.body)),
  });
  res.end(response.body);
}
