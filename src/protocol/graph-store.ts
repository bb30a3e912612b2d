// The SPARQL 1.1 Graph Store HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/) at
// /store: `?graph=IRI` (indirect), `?default`, and /store/<path> (direct: the request IRI names the
// graph). GET and HEAD are public; PUT, POST and DELETE need a write token.
//
//   GET/HEAD  200 with the graph (negotiated), 404 if it holds nothing (the default graph always exists)
//   PUT       201 for a new graph, 204 for a replaced one
//   POST      201 for a new graph, 204 after a merge; POST /store alone creates a graph: 201 + Location
//   DELETE    204, 404 if the graph holds nothing
//
// The default graph of queries is the union of every graph; `?default` reads and writes the graph
// that stands in for what was written to the default graph (DEFAULT_GRAPH_STAND_IN).

import { randomUUID } from 'node:crypto';
import { DataFactory } from '../core/n3.ts';
import { badRequest, methodNotAllowed, notFound, serviceUnavailable, unsupportedMediaType } from '../core/errors.ts';
import { GRAPH_FORMATS, MULTIPART_FORM_DATA, rdfSyntaxOfMediaType } from '../core/formats.ts';
import { iriProblem } from '../core/iri.ts';
import { deleteGraph, graphContent, mergeIntoGraph, replaceGraph, type RdfDocument } from '../writes/graph-ops.ts';
import { deskolemizeQuads } from '../writes/skolem.ts';
import type { Writer } from '../writes/writer.ts';
import { done, requireUtf8, type ProtocolRequest, type ProtocolResponse } from './exchange.ts';
import { graphResponse } from './graph-response.ts';
import { parseMultipart } from './multipart.ts';
import { atMostOne } from './params.ts';
import type { WriteContext } from './write-context.ts';

export const STORE_PATH = '/store';
export const STORE_METHODS = 'GET, HEAD, PUT, POST, DELETE, OPTIONS';

/** The graph a request addresses: the stand-in of the default graph, a named graph, or none (POST creates one). */
export type GraphTarget = { kind: 'default'; iri: string } | { kind: 'named'; iri: string } | { kind: 'new' };

/** Reads `?graph=` / `?default`, or the graph a direct path names (`path` is /store/... as requested). */
export function graphTarget(request: ProtocolRequest, path: string, context: WriteContext): GraphTarget {
  const graphs = request.url.getAll('graph');
  const isDefault = request.url.has('default');
  if (path !== STORE_PATH) {
    if (graphs.length > 0 || isDefault) throw badRequest(`${path} names its graph itself (direct identification); do not add graph= or default`);
    return { kind: 'named', iri: `${request.origin}${path}` };
  }
  if (isDefault && graphs.length > 0) throw badRequest('give either ?default or ?graph=IRI, not both');
  if (isDefault) return { kind: 'default', iri: context.graphs.defaultGraph };
  const graph = atMostOne(graphs, 'graph');
  if (graph === undefined) return { kind: 'new' };
  const problem = iriProblem(graph);
  if (problem) throw badRequest(`graph must be an absolute IRI, not ${JSON.stringify(graph)}: ${problem}`);
  return { kind: 'named', iri: graph };
}

/** GET and HEAD: the graph's triples in the negotiated syntax, skolem IRIs written back as blank nodes. */
export async function getGraph(request: ProtocolRequest, target: GraphTarget, context: WriteContext): Promise<ProtocolResponse> {
  if (target.kind === 'new') throw badRequest('give ?graph=IRI or ?default: which graph to read');
  const quads = await context.readGraph(target.iri);
  if (quads.length === 0 && target.kind === 'named') throw notFound(`the graph <${target.iri}> holds nothing`);
  if (quads.length > context.maxResultRows) {
    throw serviceUnavailable(`the graph has ${quads.length} triples, more than the limit of ${context.maxResultRows} (KG_MAX_RESULT_ROWS); query it in parts`);
  }
  const triples = quads.map((q) => DataFactory.quad(q.subject, q.predicate, q.object));
  return graphResponse(request, deskolemizeQuads(triples, context.baseIri));
}

/** PUT, POST and DELETE, once the author is known and the body read. */
export async function writeGraph(request: ProtocolRequest & { bytes?: Buffer }, target: GraphTarget, writer: Writer, author: string, context: WriteContext): Promise<ProtocolResponse> {
  switch (request.method) {
    case 'DELETE': {
      if (target.kind === 'new') throw badRequest('give ?graph=IRI or ?default: which graph to delete');
      const { result: existed } = await writer.write(author, (tx) => deleteGraph(tx, target.iri));
      if (!existed && target.kind === 'named') throw notFound(`the graph <${target.iri}> holds nothing`);
      return done(204);
    }
    case 'PUT':
    case 'POST': {
      if (request.method === 'PUT' && target.kind === 'new') throw badRequest('give ?graph=IRI or ?default: which graph to replace (POST /store creates a new graph)');
      const iri = target.kind === 'new' ? `${context.baseIri}graph/store/${randomUUID()}` : target.iri;
      const documents = bodyDocuments(request);
      const base = target.kind === 'named' ? iri : context.baseIri;
      const { result: isNew } = await writer.write(author, (tx) => {
        const quads = graphContent(documents, iri, base, context.baseIri);
        return request.method === 'PUT' ? replaceGraph(tx, iri, quads) : mergeIntoGraph(tx, iri, quads);
      });
      if (target.kind === 'new') return done(201, { Location: iri });
      return done(isNew && target.kind === 'named' ? 201 : 204);
    }
    default:
      throw methodNotAllowed(`${request.method} is not supported on ${STORE_PATH}`, STORE_METHODS);
  }
}

/** The RDF documents of a body: one, by its Content-Type, or the parts of a multipart/form-data body. */
function bodyDocuments(request: ProtocolRequest & { bytes?: Buffer }): RdfDocument[] {
  const bytes = request.bytes ?? Buffer.alloc(0);
  const contentType = request.header('content-type');
  if (!contentType && bytes.length === 0) return [];
  if (contentType?.toLowerCase().startsWith(MULTIPART_FORM_DATA)) {
    return parseMultipart(bytes, contentType).map((part) => document(part.body, part.contentType, `the part ${part.name ?? ''}`));
  }
  return [document(bytes, contentType, 'the body')];
}

function document(bytes: Buffer, contentType: string | undefined, what: string): RdfDocument {
  const syntax = rdfSyntaxOfMediaType(contentType);
  if (!syntax) {
    const given = contentType ? `Content-Type ${contentType}` : 'no Content-Type';
    throw unsupportedMediaType(`${what} has ${given}; send RDF as one of ${GRAPH_FORMATS.map((f) => f.mediaType).join(', ')} (or ${MULTIPART_FORM_DATA} parts of them)`);
  }
  requireUtf8(contentType, 'RDF');
  return { text: bytes.toString('utf8'), syntax };
}

