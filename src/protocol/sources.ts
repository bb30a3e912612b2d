// POST /sources: a new source text and the RDF drawn from it, as multipart/form-data with a part
// named `text` (the text, its file name giving the source's name unless a `slug` part does) and a
// part named `data` (TriG or any RDF syntax, by its Content-Type or file name). The sentences'
// anchors are checked against the text exactly as at load; 201 with the text's IRI as Location.

import { badRequest, unsupportedMediaType } from '../core/errors.ts';
import { JSON_MEDIA_TYPE, MULTIPART_FORM_DATA, rdfSyntaxOfFile, rdfSyntaxOfMediaType } from '../core/formats.ts';
import { addSource } from '../writes/graph-ops.ts';
import type { Writer } from '../writes/writer.ts';
import type { ProtocolRequest, ProtocolResponse } from './exchange.ts';
import { parseMultipart, type Part } from './multipart.ts';
import type { WriteContext } from './write-context.ts';

export const SOURCES_PATH = '/sources';

export async function postSource(request: ProtocolRequest & { bytes?: Buffer }, writer: Writer, author: string, context: WriteContext): Promise<ProtocolResponse> {
  const contentType = request.header('content-type') ?? '';
  if (!contentType.toLowerCase().startsWith(MULTIPART_FORM_DATA)) {
    throw unsupportedMediaType(`send a new source as ${MULTIPART_FORM_DATA} with a part "text" (the source text) and a part "data" (its RDF)`);
  }
  const parts = parseMultipart(request.bytes ?? Buffer.alloc(0), contentType);
  const text = partNamed(parts, 'text');
  const data = partNamed(parts, 'data');
  const slugPart = parts.find((part) => part.name === 'slug');
  const slug = slugPart ? slugPart.body.toString('utf8').trim() : text.filename?.replace(/\.[^.]*$/, '');
  if (!slug) throw badRequest('name the source: give the text part a file name (SLUG.txt) or send a "slug" part');
  const syntax = rdfSyntaxOfMediaType(data.contentType) ?? (data.filename ? rdfSyntaxOfFile(data.filename) : undefined);
  if (!syntax) throw unsupportedMediaType('the "data" part needs an RDF Content-Type (application/trig, text/turtle, ...) or a file name with an RDF extension');
  const { result: graphs, added } = await writer.write(author, (tx) => addSource(tx, {
    slug, text: text.body.toString('utf8'), data: { text: data.body.toString('utf8'), syntax },
  }, context.baseIri));
  const textIri = `${context.baseIri}text/${slug}`;
  return {
    status: 201,
    headers: { Location: textIri, 'Content-Type': JSON_MEDIA_TYPE },
    body: `${JSON.stringify({ source: slug, text: textIri, graphs, quadsAdded: added })}\n`,
  };
}

function partNamed(parts: Part[], name: string): Part {
  const matching = parts.filter((part) => part.name === name);
  if (matching.length !== 1) throw badRequest(`the body needs exactly one part named "${name}" (found ${matching.length})`);
  return matching[0]!;
}
