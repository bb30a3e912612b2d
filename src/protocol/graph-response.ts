// Answers with a set of quads in the RDF format the client negotiated (`format=` or Accept).

import type * as RDF from '@rdfjs/types';
import { contentTypeOf } from '../core/formats.ts';
import { serializeQuads } from '../engine/rdf/quads.ts';
import { ok, type ProtocolRequest, type ProtocolResponse } from './exchange.ts';
import { negotiateFormat } from './negotiate.ts';
import { formatParam } from './params.ts';

export function graphResponse(request: ProtocolRequest, quads: RDF.Quad[]): ProtocolResponse {
  const format = negotiateFormat('graph', request.header('accept'), formatParam(request.url));
  return ok(contentTypeOf(format), serializeQuads(quads, format.id), { negotiated: true });
}
