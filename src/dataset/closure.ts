// Materializes the RDFS closure of the ontology's class and property hierarchy (and owl:inverseOf)
// into a graph of its own, so that clients can query with the standard terms alone.

import { sparqlPrefixes } from '../core/namespaces.ts';
import type { GraphStore } from '../engine/rdf/graph-store.ts';

/** Rounds of rule application; the closure of a real ontology converges in two or three. */
const MAX_ROUNDS = 10;

/**
 * Adds to `inferredGraph` every triple that follows from the data by rdfs:subClassOf,
 * rdfs:subPropertyOf (transitively) and owl:inverseOf axioms of `ontologyGraph`, and that no
 * graph states yet. Domain and range axioms are documentation, not inference rules: applying
 * them would type things by the properties used with them, which the data never means.
 * Returns the number of triples added.
 */
export function materializeClosure(store: GraphStore, ontologyGraph: string, inferredGraph: string): number {
  const rules = closureRules(ontologyGraph, inferredGraph);
  const before = store.size;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const size = store.size;
    for (const rule of rules) store.update(rule);
    if (store.size === size) break;
  }
  return store.size - before;
}

function closureRules(ontology: string, inferred: string): string[] {
  const notYetStated = (triple: string) => `FILTER NOT EXISTS { GRAPH ?anyGraph { ${triple} } }`;
  return [
    `${sparqlPrefixes()}
     INSERT { GRAPH <${inferred}> { ?s a ?super } }
     WHERE {
       GRAPH ?g { ?s a ?class }
       GRAPH <${ontology}> { ?class rdfs:subClassOf+ ?super }
       FILTER (isIRI(?super))
       ${notYetStated('?s a ?super')}
     }`,
    `${sparqlPrefixes()}
     INSERT { GRAPH <${inferred}> { ?s ?super ?o } }
     WHERE {
       GRAPH ?g { ?s ?p ?o }
       GRAPH <${ontology}> { ?p rdfs:subPropertyOf+ ?super }
       ${notYetStated('?s ?super ?o')}
     }`,
    `${sparqlPrefixes()}
     INSERT { GRAPH <${inferred}> { ?o ?inverse ?s } }
     WHERE {
       GRAPH ?g { ?s ?p ?o }
       GRAPH <${ontology}> { { ?p owl:inverseOf ?inverse } UNION { ?inverse owl:inverseOf ?p } }
       FILTER (!isLiteral(?o))
       ${notYetStated('?o ?inverse ?s')}
     }`,
  ];
}
