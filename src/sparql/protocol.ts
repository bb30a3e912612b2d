// The SPARQL 1.1 Protocol query operation (https://www.w3.org/TR/sparql11-protocol/#query-operation):
//
//   GET  /sparql?query=...                                   queryViaGet
//   POST /sparql  application/x-www-form-urlencoded         queryViaPostForm
//   POST /sparql  application/sparql-query                  queryViaPostDirect
//   GET  /sparql  (no parameters)                           service description
//   POST /sparql  application/sparql-update, or update=...  403: the endpoint is read-only
//   anything else                                           405 with Allow

import { createHash } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import {
  badRequest, forbidden, methodNotAllowed, payloadTooLarge, unsupportedMediaType,
} from '../errors.ts';
import { negotiateFormat } from '../http/negotiate.ts';
import { contentTypeOf } from '../http/formats.ts';
import { sendQuads } from '../http/rdf-response.ts';
import type { Job } from '../store/query-messages.ts';
import { analyzeQuery, returnsGraph } from './query-form.ts';
import { checkOutbound } from '../federation/allow-list.ts';
import type { OutboundLimits } from '../federation/guarded-fetch.ts';
import { parseSource, type SourceSpec } from '../federation/engine.ts';
import { serviceDescription, serviceUrls, type ServiceUrls } from './service-description.ts';
import type * as RDF from '@rdfjs/types';
import type { DatasetSummary } from './dataset-summary.ts';

export const SPARQL_PATH = '/sparql';
export const ALLOWED_METHODS = 'GET, HEAD, POST, OPTIONS';

const MEDIA = {
  form: 'application/x-www-form-urlencoded',
  query: 'application/sparql-query',
  update: 'application/sparql-update',
} as const;

/** Runs a query job somewhere (the worker pool) and returns the serialized result. */
export interface QueryExecutor {
  execute(job: Job, signal?: AbortSignal): Promise<string>;
}

/** What running a query needs. */
export interface QueryAnswerOptions {
  executor: QueryExecutor;
  baseIri: string;
  maxQueryLength: number;
  maxResultBytes: number;
  /** Allow-list and limits of the remote requests of federated queries. */
  federation: OutboundLimits;
}

export interface SparqlEndpointOptions extends QueryAnswerOptions {
  summary: DatasetSummary;
  maxBodyBytes: number;
  /** Extra triples for the service description (the saved queries, for one). */
  describeService?: (urls: ServiceUrls) => RDF.Quad[];
}

/** A protocol request once its parameters have been checked. */
export interface QueryRequest {
  query: string;
  defaultGraphs: string[];
  namedGraphs: string[];
  format: string | undefined;
  /** `source` parameters: query these (self, URLs, sparql@URL) together, with Comunica. */
  sources: string[];
}

export function sparqlEndpoint(options: SparqlEndpointOptions): Router {
  const router = express.Router();
  const readBody = express.text({ type: () => true, limit: options.maxBodyBytes, defaultCharset: 'utf-8' });

  router.get(SPARQL_PATH, async (req, res) => {
    const url = urlParams(req);
    if (url.size === 0 || (url.size === 1 && url.has('format'))) {
      const urls = serviceUrls(origin(req), options.baseIri);
      const federation = options.federation.allowList.length > 0;
      sendQuads(req, res, [...serviceDescription(options.summary, urls, { federation }), ...(options.describeService?.(urls) ?? [])]);
      return;
    }
    if (url.has('update')) throw forbidden('SPARQL Update is disabled: this endpoint is read-only (and updates are never sent with GET)');
    await answerQuery(req, res, queryViaGet(url), options);
  });

  router.post(SPARQL_PATH, checkPostContentType, readBody, async (req, res) => {
    const url = urlParams(req);
    const body = typeof req.body === 'string' ? req.body : '';
    const request = mediaTypeOf(req) === MEDIA.form
      ? queryViaPostForm(url, new URLSearchParams(body))
      : queryViaPostDirect(url, body);
    await answerQuery(req, res, request, options);
  });

  router.all(SPARQL_PATH, (req, res) => {
    res.set('Allow', ALLOWED_METHODS);
    throw methodNotAllowed(`${req.method} is not supported on ${SPARQL_PATH}; use GET or POST (SPARQL 1.1 Protocol §2.1)`);
  });

  return router;
}

/** §2.1.1: everything in the URL. */
export function queryViaGet(url: URLSearchParams): QueryRequest {
  return {
    query: exactlyOne(url.getAll('query'), 'query'),
    ...datasetOf(url.getAll('default-graph-uri'), url.getAll('named-graph-uri')),
    format: atMostOne(url.getAll('format'), 'format'),
    sources: url.getAll('source'),
  };
}

/** §2.1.2: parameters in the form body; dataset parameters may also be in the URL. */
function queryViaPostForm(url: URLSearchParams, body: URLSearchParams): QueryRequest {
  if (body.has('update') || url.has('update')) throw forbidden('SPARQL Update is disabled: this endpoint is read-only');
  return {
    query: exactlyOne([...url.getAll('query'), ...body.getAll('query')], 'query'),
    ...datasetOf(
      [...url.getAll('default-graph-uri'), ...body.getAll('default-graph-uri')],
      [...url.getAll('named-graph-uri'), ...body.getAll('named-graph-uri')],
    ),
    format: atMostOne([...url.getAll('format'), ...body.getAll('format')], 'format'),
    sources: [...url.getAll('source'), ...body.getAll('source')],
  };
}

/** §2.1.3: the query is the body; other parameters in the URL. */
function queryViaPostDirect(url: URLSearchParams, body: string): QueryRequest {
  if (url.has('query')) throw badRequest('the query is in the request body; do not also give a query parameter in the URL');
  if (body.trim() === '') throw badRequest('the request body is empty: send the query text as the body');
  return {
    query: body,
    ...datasetOf(url.getAll('default-graph-uri'), url.getAll('named-graph-uri')),
    format: atMostOne(url.getAll('format'), 'format'),
    sources: url.getAll('source'),
  };
}

/** Checks, runs and sends one query: limits, form, negotiation, worker, response. */
export async function answerQuery(req: Request, res: Response, request: QueryRequest, options: QueryAnswerOptions): Promise<void> {
  res.locals.queryHash = createHash('sha256').update(request.query).digest('hex').slice(0, 16);
  if (request.query.length > options.maxQueryLength) {
    throw payloadTooLarge(`the query is ${request.query.length} characters long; the limit is ${options.maxQueryLength} (KG_MAX_QUERY_LENGTH)`);
  }
  const { form, services } = analyzeQuery(request.query);
  if (form === 'UPDATE') {
    throw badRequest('this is a SPARQL Update, not a query: the query operation accepts SELECT, ASK, CONSTRUCT and DESCRIBE, and this endpoint is read-only');
  }
  const format = negotiateFormat(returnsGraph(form) ? 'graph' : 'results', req.get('accept'), request.format);
  const aborted = new AbortController();
  res.on('close', () => aborted.abort());
  const federated = services.length > 0 || request.sources.length > 0;
  if (federated && (request.defaultGraphs.length > 0 || request.namedGraphs.length > 0)) {
    throw badRequest('default-graph-uri and named-graph-uri cannot be combined with SERVICE or source');
  }
  // Every endpoint is checked before the query starts: a refused one is never connected to.
  for (const service of services) checkOutbound(service.endpoint, options.federation.allowList);
  const common = {
    query: request.query,
    format: format.id,
    maxResultBytes: options.maxResultBytes,
    // Relative IRIs in queries resolve like those of the data: <person/x> is an entity's IRI.
    baseIri: options.baseIri,
    queryHash: res.locals.queryHash,
  };
  const body = await options.executor.execute(federated
    ? { kind: 'federated', ...common, sources: request.sources.map((source) => sourceSpec(source, req, options)), limits: options.federation }
    : {
      kind: 'query',
      ...common,
      ...(request.defaultGraphs.length > 0 || request.namedGraphs.length > 0
        ? { defaultGraphs: request.defaultGraphs, namedGraphs: request.namedGraphs }
        : {}),
    }, aborted.signal);
  res.vary('Accept');
  res.type(contentTypeOf(format)).send(body);
}

/** A `source` parameter: `self` (or this endpoint's own URL), `sparql@URL`, or a URL Comunica identifies. */
function sourceSpec(source: string, req: Request, options: QueryAnswerOptions): SourceSpec {
  if (source === `${origin(req)}${SPARQL_PATH}`) return { type: 'self' };
  const spec = parseSource(source);
  if (!spec) throw badRequest(`source must be "self", an http(s) URL or sparql@URL, not "${source}"`);
  if ('url' in spec) checkOutbound(spec.url, options.federation.allowList);
  return spec;
}

/** 415 unless the POST says it is a form or a query, in UTF-8. */
function checkPostContentType(req: Request, _res: Response, next: () => void): void {
  const mediaType = mediaTypeOf(req);
  if (mediaType === MEDIA.update) throw forbidden('SPARQL Update is disabled: this endpoint is read-only');
  if (mediaType !== MEDIA.form && mediaType !== MEDIA.query) {
    const given = mediaType ? `Content-Type ${mediaType}` : 'no Content-Type';
    throw unsupportedMediaType(`a query POST needs Content-Type ${MEDIA.form} or ${MEDIA.query}, not ${given}`);
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.get('content-type') ?? '')?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) {
    throw unsupportedMediaType(`charset ${charset} is not supported: send the request in UTF-8`);
  }
  next();
}

function mediaTypeOf(req: Request): string | undefined {
  return req.get('content-type')?.split(';')[0]?.trim().toLowerCase() || undefined;
}

/** The URL's parameters as the client sent them (repeated ones kept). */
export function urlParams(req: Request): URLSearchParams {
  const queryStart = req.originalUrl.indexOf('?');
  return new URLSearchParams(queryStart < 0 ? '' : req.originalUrl.slice(queryStart + 1));
}

function exactlyOne(values: string[], name: string): string {
  if (values.length === 0) throw badRequest(`missing the ${name} parameter`);
  if (values.length > 1) throw badRequest(`the ${name} parameter must be given exactly once, not ${values.length} times`);
  return values[0]!;
}

function atMostOne(values: string[], name: string): string | undefined {
  if (values.length > 1) throw badRequest(`the ${name} parameter must be given at most once`);
  return values[0];
}

/** Graph IRIs of a protocol dataset (§2.1.4); they name graphs of the store, never remote documents. */
function datasetOf(defaultGraphs: string[], namedGraphs: string[]): { defaultGraphs: string[]; namedGraphs: string[] } {
  for (const graph of [...defaultGraphs, ...namedGraphs]) {
    if (!isAbsoluteIri(graph)) throw badRequest(`default-graph-uri and named-graph-uri must be absolute IRIs, not "${graph}"`);
  }
  return { defaultGraphs, namedGraphs };
}

function isAbsoluteIri(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]*$/.test(value);
}

/** The scheme, host and port the client used to reach us. */
export function origin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}
