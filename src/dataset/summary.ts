// Counts what the dataset holds, once at startup, for the VoID and service descriptions.

import type { GraphStore } from '../engine/rdf/graph-store.ts';

export interface DatasetSummary {
  /** Distinct triples of the union default graph. */
  triples: number;
  /** Distinct IRI subjects under the base IRI: the dataset's own entities. */
  entities: number;
  distinctSubjects: number;
  distinctObjects: number;
  classes: Array<{ iri: string; entities: number }>;
  properties: Array<{ iri: string; triples: number }>;
  namedGraphs: Array<{ iri: string; triples: number }>;
  /** owl:sameAs links to Wikidata. */
  wikidataLinks: number;
}

export function summarizeDataset(store: GraphStore, baseIri: string): DatasetSummary {
  const count = (sparql: string) => Number(store.select(sparql)[0]?.n?.value ?? 0);
  return {
    triples: count('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'),
    entities: count(`SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER (isIRI(?s) && STRSTARTS(STR(?s), ${JSON.stringify(baseIri)})) }`),
    distinctSubjects: count('SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }'),
    distinctObjects: count('SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }'),
    classes: store.select('SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c')
      .map((row) => ({ iri: row.c!.value, entities: Number(row.n!.value) })),
    properties: store.select('SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p')
      .map((row) => ({ iri: row.p!.value, triples: Number(row.n!.value) })),
    namedGraphs: store.select('SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g')
      .map((row) => ({ iri: row.g!.value, triples: Number(row.n!.value) })),
    wikidataLinks: count('SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o FILTER STRSTARTS(STR(?o), "http://www.wikidata.org/entity/") }'),
  };
}
