// Fetches the document of a SPARQL Update LOAD: only IRIs the federation allow-list covers, through
// the same guarded fetch as federated queries (address checks, timeout, size limit).

import { HttpError, badRequest } from '../core/errors.ts';
import { GRAPH_FORMATS, rdfSyntaxOfFile, rdfSyntaxOfMediaType, type RdfSyntax } from '../core/formats.ts';
import { checkOutbound } from '../engine/federation/allow-list.ts';
import { guardedFetch, type OutboundLimits } from '../engine/federation/guarded-fetch.ts';

const ACCEPT = GRAPH_FORMATS.map((format) => format.mediaType).join(', ');

export function documentLoader(limits: OutboundLimits): (iri: string) => Promise<{ text: string; syntax: RdfSyntax }> {
  return async (iri) => {
    if (limits.allowList.length === 0) {
      throw new HttpError(403, 'LOAD is refused: no outbound request is allowed until KG_FEDERATION_ALLOW lists the IRIs it may reach');
    }
    checkOutbound(iri, limits.allowList);
    const response = await guardedFetch(limits, () => undefined)(iri, { headers: { accept: ACCEPT } });
    if (!response.ok) throw new HttpError(502, `${iri} answered ${response.status}`);
    const syntax = rdfSyntaxOfMediaType(response.headers.get('content-type') ?? undefined) ?? rdfSyntaxOfFile(new URL(iri).pathname);
    if (!syntax) throw badRequest(`${iri} is not in an RDF syntax this server reads (Content-Type ${response.headers.get('content-type') ?? 'none'})`);
    return { text: await response.text(), syntax };
  };
}
