// The SPARQL 1.1 Protocol update operation (https://www.w3.org/TR/sparql11-protocol/#update-operation):
//
//   POST /sparql  application/x-www-form-urlencoded  update=...   updateViaPostForm
//   POST /sparql  application/sparql-update          (the body)   updateViaPostDirect
//
// with using-graph-uri and using-named-graph-uri; 204 once the update is checked, journaled and
// visible to every query. Updates are never sent with GET.

import { badRequest } from '../core/errors.ts';
import { iriProblem } from '../core/iri.ts';
import { applyUpdate, type UpdateRequest } from '../writes/update-plan.ts';
import { done, type ProtocolResponse } from './exchange.ts';
import { exactlyOne } from './params.ts';
import type { WriteContext } from './write-context.ts';
import type { Writer } from '../writes/writer.ts';

/** §2.2.1: update= and the dataset parameters in the form body (dataset parameters may also be in the URL). */
export function updateViaPostForm(url: URLSearchParams, body: URLSearchParams): UpdateRequest {
  if (body.has('query') || url.has('query')) throw badRequest('send either query= or update=, not both');
  if (url.has('update')) throw badRequest('the update goes in the request body, not in the URL');
  return {
    update: exactlyOne(body.getAll('update'), 'update'),
    ...usingDataset([...url.getAll('using-graph-uri'), ...body.getAll('using-graph-uri')],
      [...url.getAll('using-named-graph-uri'), ...body.getAll('using-named-graph-uri')]),
  };
}

/** §2.2.2: the update is the body; the dataset parameters are in the URL. */
export function updateViaPostDirect(url: URLSearchParams, body: string): UpdateRequest {
  if (url.has('update') || url.has('query')) throw badRequest('the update is in the request body; do not also give query or update in the URL');
  if (body.trim() === '') throw badRequest('the request body is empty: send the update text as the body');
  return { update: body, ...usingDataset(url.getAll('using-graph-uri'), url.getAll('using-named-graph-uri')) };
}

/** Runs the update as one write of `author`: all of it, or (on any error) none of it. */
export async function performUpdate(writer: Writer, author: string, request: UpdateRequest, context: WriteContext): Promise<ProtocolResponse> {
  await writer.write(author, (tx) => applyUpdate(tx, request, context.update));
  return done(204);
}

function usingDataset(usingGraphs: string[], usingNamedGraphs: string[]): Pick<UpdateRequest, 'usingGraphs' | 'usingNamedGraphs'> {
  for (const graph of [...usingGraphs, ...usingNamedGraphs]) {
    const problem = iriProblem(graph);
    if (problem) throw badRequest(`using-graph-uri and using-named-graph-uri must be absolute IRIs, not ${JSON.stringify(graph)}: ${problem}`);
  }
  return { usingGraphs, usingNamedGraphs };
}
