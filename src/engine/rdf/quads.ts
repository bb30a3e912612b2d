// Writes a set of quads in any RDF syntax: pretty Turtle/TriG (prefixes, grouped by subject, blank
// nodes inlined), n3's Writer for N-Triples/N-Quads, Oxigraph's writers for RDF/XML and JSON-LD.

import { Writer } from '../../core/n3.ts';
import type * as RDF from '@rdfjs/types';
import { mediaTypeOf, type RdfSyntax } from '../../core/formats.ts';
import { GraphStore } from './graph-store.ts';
import { prettyTurtle } from './pretty-turtle.ts';

export function serializeQuads(quads: RDF.Quad[], syntax: RdfSyntax): string {
  switch (syntax) {
    case 'turtle':
    case 'trig':
      return prettyTurtle(quads, { keepGraphs: syntax === 'trig' });
    case 'ntriples':
    case 'nquads':
      return writeWithN3(quads, mediaTypeOf(syntax));
    default:
      return GraphStore.serializeQuads(quads, syntax);
  }
}

function writeWithN3(quads: RDF.Quad[], mediaType: string): string {
  const writer = new Writer({ format: mediaType });
  writer.addQuads(quads);
  let output = '';
  writer.end((error, result) => {
    if (error) throw error;
    output = result;
  });
  return output;
}
