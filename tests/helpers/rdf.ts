// Independent parsers for what the server sends: n3 for Turtle-family syntaxes,
// rdfxml-streaming-parser for RDF/XML, jsonld.js (the reference implementation) for JSON-LD, or
// jsonld-streaming-parser when the media type says ";streaming".

import { DataFactory, Parser, Writer } from 'n3';
import { canonize } from 'rdf-canonize';
import jsonld from 'jsonld';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { JsonLdParser } from 'jsonld-streaming-parser';
import type * as RDF from '@rdfjs/types';

export async function parseRdf(text: string, mediaType: string, baseIRI = 'http://example.org/'): Promise<RDF.Quad[]> {
  const type = mediaType.split(';')[0]!.trim();
  if (type === 'application/rdf+xml') return streamParse(new RdfXmlParser({ baseIRI }), text);
  if (type === 'application/ld+json' && mediaType.includes(';streaming')) return streamParse(new JsonLdParser({ baseIRI }), text);
  if (type === 'application/ld+json') {
    const nquads = await jsonld.toRDF(JSON.parse(text), { format: 'application/n-quads', base: baseIRI }) as unknown as string;
    return new Parser({ format: 'application/n-quads' }).parse(nquads);
  }
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

/** The RDFC-1.0 canonical N-Quads of `quads`: equal strings mean isomorphic datasets. */
export async function canonical(quads: RDF.Quad[], withGraphs = true): Promise<string> {
  const writer = new Writer({ format: 'application/n-quads' });
  for (const q of quads) writer.addQuad(withGraphs ? q : DataFactory.quad(q.subject, q.predicate, q.object));
  const nquads = await new Promise<string>((resolve, reject) => writer.end((error, result) => (error ? reject(error) : resolve(result))));
  const text = await canonize(nquads, { algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads', format: 'application/n-quads' }) as string;
  return [...new Set(text.split('\n').filter(Boolean))].sort().join('\n');
}
