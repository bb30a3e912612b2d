// Builds the knowledge graph once per test file and offers compact views of query results.

import { loadConfig } from '../../src/core/config.ts';
import { buildKnowledgeGraph, type KnowledgeGraph } from '../../src/dataset/build.ts';
import { sparqlPrefixes } from '../../src/core/namespaces.ts';
import type { Bindings } from '../../src/engine/rdf/graph-store.ts';

export const BASE = 'http://127.0.0.1:7878/id/';
export const config = loadConfig({}, {});

let built: Promise<KnowledgeGraph> | undefined;

/** The knowledge graph built from ontology/ and data/ with the default base IRI. */
export function knowledgeGraph(): Promise<KnowledgeGraph> {
  built ??= buildKnowledgeGraph(config);
  return built;
}

/** Runs a SELECT (with all project prefixes declared) and returns each row as name → value. */
export async function rows(query: string): Promise<Array<Record<string, string>>> {
  const kg = await knowledgeGraph();
  return kg.store.select(`${sparqlPrefixes()}\n${query}`).map(values);
}

/** Runs an ASK with all project prefixes declared. */
export async function ask(query: string): Promise<boolean> {
  const kg = await knowledgeGraph();
  return kg.store.ask(`${sparqlPrefixes()}\n${query}`);
}

export function values(bindings: Bindings): Record<string, string> {
  return Object.fromEntries(Object.entries(bindings).map(([name, term]) => [name, term.value]));
}

/** An IRI under the default base. */
export const id = (path: string) => `${BASE}${path}`;
