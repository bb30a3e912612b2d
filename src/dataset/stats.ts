// Counts what the knowledge graph holds: quads, triples, graphs, entities by class.

import type { KnowledgeGraph } from './build.ts';

export interface GraphStats {
  quads: number;
  distinctTriples: number;
  namedGraphs: number;
  inferredTriples: number;
  loadMs: number;
  entitiesByClass: Array<{ class: string; entities: number }>;
}

export function graphStats(kg: KnowledgeGraph): GraphStats {
  const count = (sparql: string) => Number(kg.store.select(sparql)[0]?.n?.value ?? 0);
  const classes = kg.store.select(
    'SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) ?class',
  );
  return {
    quads: count('SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }'),
    distinctTriples: count('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'),
    namedGraphs: kg.store.graphNames().length,
    inferredTriples: kg.inferredTriples,
    loadMs: Math.round(kg.loadMs),
    entitiesByClass: classes.map((row) => ({ class: row.class!.value, entities: Number(row.n!.value) })),
  };
}

/** The stats as lines of text for a terminal. */
export function formatStats(stats: GraphStats): string {
  const width = Math.max(...stats.entitiesByClass.map((entry) => String(entry.entities).length), 1);
  return [
    `quads in named graphs:   ${stats.quads}`,
    `triples in their union:  ${stats.distinctTriples}`,
    `named graphs:            ${stats.namedGraphs}`,
    `inferred triples:        ${stats.inferredTriples}`,
    `load time:               ${stats.loadMs} ms`,
    'entities by class:',
    ...stats.entitiesByClass.map((entry) => `  ${String(entry.entities).padStart(width)}  ${entry.class}`),
    '',
  ].join('\n');
}
