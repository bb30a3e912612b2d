// Counts what the dataset holds, on first need and again after each write, for the VoID and
// service descriptions.

import type { GraphStore } from '../engine/rdf/graph-store.ts';
import type { Engine } from '../engine/engine.ts';
import { selectRows } from '../engine/select-rows.ts';

/** Runs a SELECT and returns its rows (terms with at least their value). */
export type SelectValues = (sparql: string) => Promise<Array<Record<string, { value: string } | undefined>>>;

/** SELECTs on the authoritative store of this process. */
export function storeSelect(store: GraphStore): SelectValues {
  return (sparql) => Promise.resolve(store.select(sparql));
}

/** SELECTs through an engine (a remote store is asked, not copied). */
export function engineSelect(engine: Engine): SelectValues {
  return (sparql) => selectRows(engine, sparql, 256 * 1024 * 1024);
}

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

/**
 * Counts asked with SPARQL, so they come from wherever the data lives. One after the other: on a
 * large graph each count keeps a query worker busy for a second or more, and asked all at once
 * they held every worker, so that light queries waited behind them.
 */
export async function summarizeDataset(select: SelectValues, baseIri: string): Promise<DatasetSummary> {
  const count = async (sparql: string) => Number((await select(sparql))[0]?.n?.value ?? 0);
  const perTerm = async (sparql: string, name: string) => (await select(sparql))
    .map((row) => ({ iri: row[name]!.value, n: Number(row.n!.value) }));
  const triples = await count('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }');
  const entities = await count(`SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER (isIRI(?s) && STRSTARTS(STR(?s), ${JSON.stringify(baseIri)})) }`);
  const distinctSubjects = await count('SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }');
  const distinctObjects = await count('SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }');
  const classes = await perTerm('SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c', 'c');
  const properties = await perTerm('SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p', 'p');
  const namedGraphs = await perTerm('SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g', 'g');
  const wikidataLinks = await count('SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o FILTER STRSTARTS(STR(?o), "http://www.wikidata.org/entity/") }');
  return {
    triples, entities, distinctSubjects, distinctObjects,
    classes: classes.map(({ iri, n }) => ({ iri, entities: n })),
    properties: properties.map(({ iri, n }) => ({ iri, triples: n })),
    namedGraphs: namedGraphs.map(({ iri, n }) => ({ iri, triples: n })),
    wikidataLinks,
  };
}

/** A summary counted on first need and kept until forgotten (after a write). */
export interface RememberedSummary {
  get(): Promise<DatasetSummary>;
  forget(): void;
}

/**
 * Remembers the summary `summarize` counts. Readers that come while it is being counted share
 * that count: every GET of /sparql without a query or of the VoID needs it, and each reader
 * counting on its own would start eight heavy queries. A failed count is not kept.
 */
export function rememberedSummary(summarize: () => Promise<DatasetSummary>): RememberedSummary {
  let summary: Promise<DatasetSummary> | undefined;
  return {
    get() {
      if (summary) return summary;
      const counting = summarize();
      summary = counting;
      counting.catch(() => {
        if (summary === counting) summary = undefined;
      });
      return counting;
    },
    forget() {
      summary = undefined;
    },
  };
}
