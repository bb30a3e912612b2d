// The saved queries as RDF, in the vocabulary the SPARQL example collections of large public
// endpoints use: SHACL SPARQL executables with rdfs:comment and schema:target.

import { DataFactory } from '../core/n3.ts';
import type * as RDF from '@rdfjs/types';
import { messageOf } from '../core/errors.ts';
import { PREFIXES } from '../core/namespaces.ts';
import { queryForm } from '../engine/query-analysis.ts';
import { GraphStore } from '../engine/rdf/graph-store.ts';
import type { SavedQuery } from './saved-queries.ts';

const { namedNode, literal, quad } = DataFactory;
const sh = (local: string) => namedNode(`${PREFIXES.sh}${local}`);

const EXECUTABLE: Record<string, { type: string; property: string }> = {
  SELECT: { type: 'SPARQLSelectExecutable', property: 'select' },
  ASK: { type: 'SPARQLAskExecutable', property: 'ask' },
  CONSTRUCT: { type: 'SPARQLConstructExecutable', property: 'construct' },
  DESCRIBE: { type: 'SPARQLDescribeExecutable', property: 'describe' },
};

export const QUERIES_GRAPH = 'graph/queries';

/** The IRI of a saved query, under the base IRI. */
export const savedQueryIri = (baseIri: string, name: string) => `${baseIri}query/${name}`;

/** The endpoint a deployment with this base IRI serves: the base's origin + /sparql. */
export const endpointOf = (baseIri: string) => new URL('/sparql', baseIri).href;

/** Parse errors of saved queries, one line per file, checked by Oxigraph's own parser on an empty store. */
export function savedQueryProblems(queries: SavedQuery[]): string[] {
  const empty = new GraphStore();
  const problems: string[] = [];
  for (const saved of queries) {
    const form = queryForm(saved.query);
    if (form === 'UPDATE') {
      problems.push(`${saved.file}: is a SPARQL Update; saved queries must be SELECT, ASK, CONSTRUCT or DESCRIBE`);
      continue;
    }
    try {
      empty.serialize(saved.query, form === 'CONSTRUCT' || form === 'DESCRIBE' ? 'ntriples' : 'json');
    } catch (error) {
      problems.push(`${saved.file}: ${messageOf(error)}`);
    }
  }
  return problems;
}

export function savedQueryQuads(queries: SavedQuery[], baseIri: string): RDF.Quad[] {
  const graph = namedNode(`${baseIri}${QUERIES_GRAPH}`);
  const endpoint = namedNode(endpointOf(baseIri));
  const quads: RDF.Quad[] = [
    quad(graph, namedNode(`${PREFIXES.rdf}type`), namedNode(`${PREFIXES.prov}Entity`), graph),
    quad(graph, namedNode(`${PREFIXES.rdfs}label`), literal('The saved example queries', 'en'), graph),
    quad(graph, namedNode(`${PREFIXES.prov}wasDerivedFrom`), namedNode(new URL('/queries', baseIri).href), graph),
  ];
  for (const saved of queries) {
    const executable = EXECUTABLE[queryForm(saved.query) ?? 'SELECT']!;
    const subject = namedNode(savedQueryIri(baseIri, saved.name));
    quads.push(
      quad(subject, namedNode(`${PREFIXES.rdf}type`), sh('SPARQLExecutable'), graph),
      quad(subject, namedNode(`${PREFIXES.rdf}type`), sh(executable.type), graph),
      quad(subject, namedNode(`${PREFIXES.rdfs}label`), literal(saved.title, 'en'), graph),
      quad(subject, namedNode(`${PREFIXES.rdfs}comment`), literal(saved.description, 'en'), graph),
      quad(subject, sh(executable.property), literal(saved.query), graph),
      quad(subject, namedNode(`${PREFIXES.schema}target`), endpoint, graph),
      quad(subject, namedNode(`${PREFIXES.schema}url`), namedNode(new URL(`/queries/${saved.name}`, baseIri).href), graph),
    );
  }
  return quads;
}
