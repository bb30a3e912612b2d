// Materializes the RDFS closure of the ontology's class and property hierarchy (and owl:inverseOf)
// into a graph of its own, so that clients can query with the standard terms alone.

import { DataFactory } from '../core/n3.ts';
import type * as RDF from '@rdfjs/types';
import { PREFIXES, sparqlPrefixes } from '../core/namespaces.ts';
import type { GraphStore } from '../engine/rdf/graph-store.ts';

/** Rounds of rule application; the closure of a real ontology converges in two or three. */
const MAX_ROUNDS = 10;
/** IRIs per VALUES block: large writes are inferred in slices. */
const VALUES_CHUNK = 500;

/** One rule: the inferred triple (variables or `a`) and the pattern it follows from. */
interface Rule {
  subject: string;
  predicate: string;
  object: string;
  where: string;
}

/**
 * Adds to `inferredGraph` every triple that follows from the data by rdfs:subClassOf,
 * rdfs:subPropertyOf (transitively) and owl:inverseOf axioms of `ontologyGraph`, and that no
 * graph states yet. Domain and range axioms are documentation, not inference rules: applying
 * them would type things by the properties used with them, which the data never means.
 * Returns the number of triples added.
 */
export function materializeClosure(store: GraphStore, ontologyGraph: string, inferredGraph: string): number {
  const updates = (premises: string) => closureRules(ontologyGraph, premises).map((rule) => `${sparqlPrefixes()}
    INSERT { GRAPH <${inferredGraph}> { ${rule.subject} ${rule.predicate} ${rule.object} } } WHERE { ${rule.where} }`);
  // Rules write into the inferred graph alone: its size tells whether a round added anything,
  // and counting it is cheap where counting the whole store takes 100 ms or more on 1M triples.
  const before = store.graphSize(inferredGraph);
  let size = before;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    for (const update of updates(round === 0 ? '?g' : `<${inferredGraph}>`)) store.update(update);
    const after = store.graphSize(inferredGraph);
    if (after === size) break;
    size = after;
  }
  return size - before;
}

/**
 * The triples the rules infer with one of `nodes` as subject from the data as it stands, leaving
 * out those some graph states already: the incremental form of materializeClosure, for writes.
 * Chained inferences need another call once the first ones are in the store.
 */
export function inferredAbout(store: GraphStore, ontologyGraph: string, inferredGraph: string, nodes: string[]): RDF.Quad[] {
  const quads: RDF.Quad[] = [];
  const graph = DataFactory.namedNode(inferredGraph);
  for (let start = 0; start < nodes.length; start += VALUES_CHUNK) {
    const values = nodes.slice(start, start + VALUES_CHUNK).map((iri) => `<${iri}>`).join(' ');
    for (const rule of closureRules(ontologyGraph)) {
      const predicate = rule.predicate === 'a' ? `<${PREFIXES.rdf}type>` : rule.predicate;
      const rows = store.select(`${sparqlPrefixes()}
        SELECT (${rule.subject} AS ?inferredSubject) (${predicate} AS ?inferredPredicate) (${rule.object} AS ?inferredObject)
        WHERE { VALUES ${rule.subject} { ${values} } ${rule.where} }`);
      for (const row of rows) {
        quads.push(DataFactory.quad(row.inferredSubject as RDF.Quad_Subject, row.inferredPredicate as RDF.Quad_Predicate, row.inferredObject as RDF.Quad_Object, graph));
      }
    }
  }
  return quads;
}

/** The rules, with their one data premise read from `premises` (a graph IRI, or a variable for every graph). */
function closureRules(ontology: string, premises = '?g'): Rule[] {
  const notYetStated = (triple: string) => `FILTER NOT EXISTS { GRAPH ?anyGraph { ${triple} } }`;
  return [
    {
      subject: '?s', predicate: 'a', object: '?super',
      where: `GRAPH ${premises} { ?s a ?class }
        GRAPH <${ontology}> { ?class rdfs:subClassOf+ ?super }
        FILTER (isIRI(?super))
        ${notYetStated('?s a ?super')}`,
    },
    {
      subject: '?s', predicate: '?super', object: '?o',
      where: `GRAPH ${premises} { ?s ?p ?o }
        GRAPH <${ontology}> { ?p rdfs:subPropertyOf+ ?super }
        ${notYetStated('?s ?super ?o')}`,
    },
    {
      subject: '?o', predicate: '?inverse', object: '?s',
      where: `GRAPH ${premises} { ?s ?p ?o }
        GRAPH <${ontology}> { { ?p owl:inverseOf ?inverse } UNION { ?inverse owl:inverseOf ?p } }
        FILTER (!isLiteral(?o))
        ${notYetStated('?o ?inverse ?s')}`,
    },
  ];
}
