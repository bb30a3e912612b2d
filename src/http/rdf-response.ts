// Writes a set of quads as the response, in the RDF format the client negotiated.

import type { Request, Response } from 'express';
import { Writer } from 'n3';
import type * as RDF from '@rdfjs/types';
import { prettyTurtle } from '../export/pretty-turtle.ts';
import { GraphStore } from '../store/store.ts';
import { negotiateFormat } from './negotiate.ts';
import { contentTypeOf, syntaxOf, type Format } from './formats.ts';

const N3_FORMATS: Record<string, string> = {
  ntriples: 'application/n-triples',
  nquads: 'application/n-quads',
};

/**
 * Serializes `quads`: pretty Turtle/TriG (prefixes, grouped by subject, blank nodes inlined),
 * n3's Writer for N-Triples/N-Quads, Oxigraph's for RDF/XML and JSON-LD.
 */
export function serializeQuads(quads: RDF.Quad[], format: Format): string {
  if (format.id === 'turtle' || format.id === 'trig') return prettyTurtle(quads, { keepGraphs: format.id === 'trig' });
  const n3Format = N3_FORMATS[format.id];
  if (!n3Format) return GraphStore.serializeQuads(quads, syntaxOf(format));
  const writer = new Writer({ format: n3Format });
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
