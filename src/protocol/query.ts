// The SPARQL 1.1 Protocol query operation (https://www.w3.org/TR/sparql11-protocol/#query-operation),
// as plain functions over a ProtocolRequest:
//
//   GET  /sparql?query=...                                   queryViaGet
//   POST /sparql  application/x-www-form-urlencoded         queryViaPostForm
//   POST /sparql  application/sparql-query                  queryViaPostDirect
//   GET  /sparql  (no parameters)                           the service description
//   POST /sparql  application/sparql-update, or update=...  the update operation (update.ts)
//   anything else                                           405 with Allow

import { createHash } from 'node:crypto';
import { badRequest, methodNotAllowed, payloadTooLarge, unsupportedMediaType } from '../core/errors.ts';
import { REQUEST_MEDIA_TYPES, contentTypeOf } from '../core/formats.ts';
import { iriProblem } from '../core/iri.ts';
import { RecentlyUsed } from '../core/recently-used.ts';
import type { Engine } from '../engine/engine.ts';
import { analyzeQuery, returnsGraph } from '../engine/query-analysis.ts';
import { checkOutbound } from '../engine/federation/allow-list.ts';
import type { OutboundLimits } from '../engine/federation/guarded-fetch.ts';
import { parseSource, type SourceSpec } from '../engine/federation/sources.ts';
import { ok, requireUtf8, type ProtocolRequest, type ProtocolResponse } from './exchange.ts';
import { negotiateFormat } from './negotiate.ts';
import { atMostOne, exactlyOne, formatParam } from './params.ts';

export const SPARQL_PATH = '/sparql';
export const ALLOWED_METHODS = 'GET, HEAD, POST, OPTIONS';

/** What running a query needs. */
export interface QueryContext {
  engine: Engine;
  baseIri: string;
  maxQueryLength: number;
  /** Deeper nesting of { }, ( ) and [ ] is refused before the query reaches a parser. */
  maxQueryDepth: number;
  maxResultBytes: number;
  maxResultRows: number;
  /** Allow-list and limits of the remote requests of federated queries. */
  federation: OutboundLimits;
}

/** A protocol request once its parameters have been checked. */
export interface QueryOperation {
  query: string;
  defaultGraphs: string[];
  namedGraphs: string[];
  format: string | undefined;
  /** `source` parameters: query these (self, URLs, sparql@URL) together, with Comunica. */
  sources: string[];
}

/** Whether GET /sparql asks for the service description: no parameters but `format`. */
export function asksForServiceDescription(url: URLSearchParams): boolean {
  return [...url.keys()].every((name) => name === 'format');
}

/** §2.1.1: everything in the URL. */
export function queryViaGet(url: URLSearchParams): QueryOperation {
  if (url.has('update')) throw badRequest('a SPARQL Update is sent with POST (update= in a form body, or application/sparql-update), never with GET');
  return {
    query: exactlyOne(url.getAll('query'), 'query'),
    ...datasetOf(url.getAll('default-graph-uri'), url.getAll('named-graph-uri')),
    format: formatParam(url),
    sources: url.getAll('source'),
  };
}

/** §2.1.2: parameters in the form body; dataset parameters may also be in the URL. */
export function queryViaPostForm(url: URLSearchParams, body: URLSearchParams): QueryOperation {
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
export function queryViaPostDirect(url: URLSearchParams, body: string): QueryOperation {
  if (url.has('query')) throw badRequest('the query is in the request body; do not also give a query parameter in the URL');
  if (body.trim() === '') throw badRequest('the request body is empty: send the query text as the body');
  return {
    query: body,
    ...datasetOf(url.getAll('default-graph-uri'), url.getAll('named-graph-uri')),
    format: formatParam(url),
    sources: url.getAll('source'),
  };
}

/**
 * What a POST to /sparql carries, by its Content-Type: a form (query= or update=), a query or an
 * update; 415 for anything else or a charset other than UTF-8. Checked before the body is read.
 */
export function postKind(request: ProtocolRequest): 'form' | 'query' | 'update' {
  const mediaType = mediaTypeOf(request);
  if (mediaType !== REQUEST_MEDIA_TYPES.form && mediaType !== REQUEST_MEDIA_TYPES.query && mediaType !== REQUEST_MEDIA_TYPES.update) {
    const given = mediaType ? `Content-Type ${mediaType}` : 'no Content-Type';
    throw unsupportedMediaType(`a POST to ${SPARQL_PATH} needs Content-Type ${REQUEST_MEDIA_TYPES.form}, ${REQUEST_MEDIA_TYPES.query} or ${REQUEST_MEDIA_TYPES.update}, not ${given}`);
  }
  requireUtf8(request.header('content-type'), 'the request');
  return mediaType === REQUEST_MEDIA_TYPES.form ? 'form' : mediaType === REQUEST_MEDIA_TYPES.query ? 'query' : 'update';
}

/** 405 for the methods the endpoint does not take. */
export function refuseMethod(method: string): never {
  throw methodNotAllowed(`${method} is not supported on ${SPARQL_PATH}; use GET or POST (SPARQL 1.1 Protocol §2.1)`, ALLOWED_METHODS);
}

/**
 * Checks and runs one query: limits, form, negotiation, engine; resolves with the answer.
 * `queryHash` (see hashOf) names the query in the engine's log lines.
 */
export async function answerQuery(request: ProtocolRequest, operation: QueryOperation, context: QueryContext,
  options: { signal?: AbortSignal; queryHash?: string } = {}): Promise<ProtocolResponse> {
  const { signal, queryHash } = options;
  if (operation.query.length > context.maxQueryLength) {
    throw payloadTooLarge(`the query is ${operation.query.length} characters long; the limit is ${context.maxQueryLength} (KG_MAX_QUERY_LENGTH)`);
  }
  const { form, services, depth } = analyzeQuery(operation.query);
  if (depth > context.maxQueryDepth) {
    throw badRequest(`the query nests groups, lists or expressions ${depth} deep; the limit is ${context.maxQueryDepth} (KG_MAX_QUERY_DEPTH)`);
  }
  if (form === 'UPDATE') {
    throw badRequest('this is a SPARQL Update, not a query: send it as update= in a form body or with Content-Type application/sparql-update');
  }
  const format = negotiateFormat(returnsGraph(form) ? 'graph' : 'results', request.header('accept'), operation.format);
  const federated = services.length > 0 || operation.sources.length > 0;
  const dataset = operation.defaultGraphs.length > 0 || operation.namedGraphs.length > 0;
  if (federated && dataset) {
    throw badRequest('default-graph-uri and named-graph-uri cannot be combined with SERVICE or source');
  }
  // Every endpoint is checked before the query starts: a refused one is never connected to.
  for (const service of services) checkOutbound(service.endpoint, context.federation.allowList);
  const common = {
    query: operation.query,
    format: format.id,
    maxResultBytes: context.maxResultBytes,
    maxResultRows: context.maxResultRows,
    // Relative IRIs in queries resolve like those of the data: <person/x> is an entity's IRI.
    baseIri: context.baseIri,
    ...(queryHash ? { queryHash } : {}),
  };
  const body = federated
    ? await context.engine.federate({
      ...common,
      sources: operation.sources.map((source) => sourceSpec(source, request, context)),
      limits: context.federation,
    }, signal)
    : await context.engine.query({
      ...common,
      ...(dataset ? { defaultGraphs: operation.defaultGraphs, namedGraphs: operation.namedGraphs } : {}),
    }, signal);
  return ok(contentTypeOf(format), body, { negotiated: true });
}

/** Identifies a query in logs: the first 16 hex digits of its SHA-256. */
export function hashOf(query: string): string {
  return recentHashes.get(query, () => createHash('sha256').update(query).digest('hex').slice(0, 16));
}

const recentHashes = new RecentlyUsed<string>(1000);

/** A `source` parameter: `self` (or this endpoint's own URL), `sparql@URL`, or a URL Comunica identifies. */
function sourceSpec(source: string, request: ProtocolRequest, context: QueryContext): SourceSpec {
  if (source === `${request.origin}${SPARQL_PATH}`) return { type: 'self' };
  const spec = parseSource(source);
  if (!spec) throw badRequest(`source must be "self", an http(s) URL or sparql@URL, not "${source}"`);
  if ('url' in spec) checkOutbound(spec.url, context.federation.allowList);
  return spec;
}

function mediaTypeOf(request: ProtocolRequest): string | undefined {
  return request.header('content-type')?.split(';')[0]?.trim().toLowerCase() || undefined;
}

/** Graph IRIs of a protocol dataset (§2.1.4); they name graphs of the store, never remote documents. */
function datasetOf(defaultGraphs: string[], namedGraphs: string[]): { defaultGraphs: string[]; namedGraphs: string[] } {
  for (const graph of [...defaultGraphs, ...namedGraphs]) {
    const problem = iriProblem(graph);
    if (problem) throw badRequest(`default-graph-uri and named-graph-uri must be absolute IRIs, not ${JSON.stringify(graph)}: ${problem}`);
  }
  return { defaultGraphs, namedGraphs };
}
