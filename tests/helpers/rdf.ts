// Independent parsers for what the server sends: n3 for Turtle-family syntaxes,
// rdfxml-streaming-parser and jsonld-streaming-parser for RDF/XML and JSON-LD.

import { Parser } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { JsonLdParser } from 'jsonld-streaming-parser';
import type * as RDF from '@rdfjs/types';

export async function parseRdf(text: string, mediaType: string, baseIRI = 'http://example.org/'): Promise<RDF.Quad[]> {
  const type = mediaType.split(';')[0]!.trim();
  if (type === 'application/rdf+xml') return streamParse(new RdfXmlParser({ baseIRI }), text);
  if (type === 'application/ld+json') return streamParse(new JsonLdParser({ baseIRI }), text);
  return new Parser({ format: type, baseIRI }).parse(text);
}

function streamParse(parser: NodeJS.ReadWriteStream, text: string): Promise<RDF.Quad[]> {
  return new Promise((resolve, reject) => {
    const quads: RDF.Quad[] = [];
    parser.on('data', (quad: RDF.Quad) => quads.push(quad));
    parser.on('error', reject);
    parser.on('end', () => resolve(quads));
    parser.write(text);
    parser.end();
  });
}

/** A canonical line for a quad without blank nodes, for comparing graphs as sets. */
export function quadKey(quad: RDF.Quad, withGraph = true): string {
  const term = (t: RDF.Term): string => {
    if (t.termType === 'Literal') {
      return `${JSON.stringify(t.value)}${t.language ? `@${t.language}` : `^^${t.datatype.value}`}`;
    }
    if (t.termType === 'BlankNode') throw new Error('quadKey compares graphs without blank nodes only');
    return `<${t.value}>`;
  };
  const graph = withGraph && quad.graph.termType !== 'DefaultGraph' ? ` ${term(quad.graph)}` : '';
  return `${term(quad.subject)} ${term(quad.predicate)} ${term(quad.object)}${graph}`;
}

export function sortedKeys(quads: RDF.Quad[], withGraph = true): string[] {
  return [...new Set(quads.map((q) => quadKey(q, withGraph)))].sort();
}
