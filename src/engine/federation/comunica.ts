// Federated queries with Comunica: our store as a local RDF/JS source, remote SPARQL endpoints and
// RDF documents reached only through the guarded fetch. One engine per thread, created on first use.

import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { HttpError, messageOf } from '../../core/errors.ts';
import { formatOf, type RdfSyntax, type ResultsFormat } from '../../core/formats.ts';
import { GraphStore } from '../rdf/graph-store.ts';
import type { SourceSpec } from './sources.ts';
import { guardedFetch, type OutboundFailure, type OutboundLimits } from './guarded-fetch.ts';

/** A query over several sources, and the limits of its answer and of its outbound requests. */
export interface FederatedJob {
  query: string;
  format: ResultsFormat;
  /** Sources beside the local store; empty for SERVICE queries, where the store is the only source. */
  sources: SourceSpec[];
  limits: OutboundLimits;
  maxResultBytes: number;
  baseIri?: string;
}

interface ComunicaEngine {
  query(query: string, context: Record<string, unknown>): Promise<{ resultType: string; execute(): Promise<unknown> }>;
  resultToString(result: unknown, mediaType: string): Promise<{ data: NodeJS.ReadableStream }>;
}

let engine: Promise<ComunicaEngine> | undefined;

function comunica(): Promise<ComunicaEngine> {
  engine ??= import('@comunica/query-sparql').then(({ QueryEngine }) => new QueryEngine() as unknown as ComunicaEngine);
  return engine;
}

/** The local dataset as Comunica reads it: an RDF/JS source answering triple patterns. */
export interface QuadSource {
  match(subject: RDF.Term | null, predicate: RDF.Term | null, object: RDF.Term | null, graph: RDF.Term | null): NodeJS.ReadableStream;
}

/**
 * Runs a federated query and returns its serialized result; remote failures become 502/504/403.
 * `local` is our dataset: an embedded store, or a source reading the remote store.
 */
export async function runFederated(local: GraphStore | QuadSource, job: FederatedJob): Promise<string> {
  let failure: OutboundFailure | undefined;
  const fetch = guardedFetch(job.limits, (f) => { failure ??= f; });
  if (local instanceof GraphStore) local = storeSource(local);
  const sources = job.sources.length === 0 ? [local] : job.sources.map((source) => toComunicaSource(source, local));
  try {
    const result = await (await comunica()).query(job.query, {
      sources,
      fetch,
      ...(job.baseIri ? { baseIRI: job.baseIri } : {}),
    });
    if (result.resultType === 'quads') {
      const quads = await collect(await result.execute() as NodeJS.ReadableStream, job.maxResultBytes);
      return GraphStore.serializeQuads(quads, job.format as RdfSyntax);
    }
    const format = formatOf(job.format);
    if (format.kind !== 'results') throw new HttpError(406, `a ${result.resultType} result cannot be written as ${job.format}`);
    const mediaType = format.mediaType;
    const text = await readText((await (await comunica()).resultToString(result, mediaType)).data, job.maxResultBytes);
    return job.format === 'json' ? withoutMetadata(text) : text;
  } catch (error) {
    if (error instanceof HttpError && error.status !== 502 && error.status !== 504 && error.status !== 403) throw error;
    if (failure) throw new HttpError(failure.status, `federated query failed: ${failure.message}`);
    const message = messageOf(error);
    if (/parse error|syntax/i.test(message)) throw new HttpError(400, `SPARQL syntax error: ${message}`);
    throw new HttpError(502, `federated query failed: ${message}`);
  }
}

/** The store as an RDF/JS source: Comunica asks `match`, the store answers from its indexes. */
function storeSource(store: GraphStore): QuadSource {
  return {
    match(subject: RDF.Term | null, predicate: RDF.Term | null, object: RDF.Term | null, graph: RDF.Term | null) {
      return Readable.from(store.match(subject, predicate, object, graph));
    },
  };
}

function toComunicaSource(source: SourceSpec, local: QuadSource): unknown {
  switch (source.type) {
    case 'self':
      return local;
    case 'sparql':
      return { type: 'sparql', value: source.url };
    case 'auto':
      return source.url;
    case 'serialized':
      return { type: 'serialized', value: source.value, mediaType: source.mediaType, baseIRI: source.baseIri };
  }
}

async function collect(stream: NodeJS.ReadableStream, maxBytes: number): Promise<RDF.Quad[]> {
  const quads: RDF.Quad[] = [];
  let size = 0;
  for await (const quad of stream as AsyncIterable<RDF.Quad>) {
    size += quad.subject.value.length + quad.predicate.value.length + quad.object.value.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    quads.push(quad);
  }
  return quads;
}

async function readText(stream: NodeJS.ReadableStream, maxBytes: number): Promise<string> {
  let text = '';
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    text += String(chunk);
    if (text.length > maxBytes) throw tooLarge(maxBytes);
  }
  return text;
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(503, `the result is larger than the limit of ${maxBytes} bytes (KG_MAX_RESULT_BYTES); add a LIMIT or narrow the query`);
}

/** Comunica adds a non-standard "metadata" member to SPARQL JSON results; clients get the standard form. */
function withoutMetadata(json: string): string {
  const parsed = JSON.parse(json) as Record<string, unknown>;
  delete parsed.metadata;
  return JSON.stringify(parsed);
}
