// Writes a set of quads as the response, in the RDF format the client negotiated.

import type { Request, Response } from 'express';
import { Writer } from 'n3';
import type * as RDF from '@rdfjs/types';
import { PREFIXES } from '../namespaces.ts';
import { GraphStore } from '../store/store.ts';
import { negotiateFormat } from './negotiate.ts';
import { contentTypeOf, syntaxOf, type Format } from './formats.ts';

const N3_FORMATS: Record<string, string> = {
  turtle: 'text/turtle',
  trig: 'application/trig',
  ntriples: 'application/n-triples',
  nquads: 'application/n-quads',
};

/** Serializes `quads`: n3's Writer (with the project's prefixes) or Oxigraph's for RDF/XML and JSON-LD. */
export function serializeQuads(quads: RDF.Quad[], format: Format): string {
  const n3Format = N3_FORMATS[format.id];
  if (!n3Format) return GraphStore.serializeQuads(quads, syntaxOf(format));
  const pretty = format.id === 'turtle' || format.id === 'trig';
  const writer = new Writer({ format: n3Format, ...(pretty ? { prefixes: { ...PREFIXES } } : {}) });
  writer.addQuads(quads);
  let output = '';
  writer.end((error, result) => {
    if (error) throw error;
    output = result;
  });
  return output;
}

/** Negotiates an RDF format (`?format=` or Accept) and sends `quads` in it. */
export function sendQuads(req: Request, res: Response, quads: RDF.Quad[]): void {
  const format = negotiateFormat('graph', req.get('accept'), formatParam(req));
  res.vary('Accept');
  res.type(contentTypeOf(format)).send(serializeQuads(quads, format));
}

/** The `format` query parameter, if given once. */
export function formatParam(req: Request): string | undefined {
  const value = req.query.format;
  return typeof value === 'string' ? value : undefined;
}
