// Finds the files the knowledge graph is built from and the graph each one loads into.

import { readdirSync, existsSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Config } from '../core/config.ts';
import { rdfSyntaxOfFile, type RdfSyntax } from '../core/formats.ts';

/** One RDF file to load. */
export interface RdfSource {
  path: string;
  syntax: RdfSyntax;
  /** Graph IRI for the triples of a triple syntax, relative to the base IRI; quads keep theirs. */
  graph?: string;
  /** For a data file with a sibling .txt: the source text's slug (file name without extension). */
  textSlug?: string;
  /** Where the text of `textSlug` lives. */
  textPath?: string;
}

/** Graphs of the files in ontology/, relative to the base IRI. */
export const SYSTEM_GRAPHS = {
  ontology: 'graph/ontology',
  shapes: 'graph/shapes',
  inferred: 'graph/inferred',
  /** Who changed which graph and when: written by the server with each write, never by clients. */
  provenance: 'graph/provenance',
} as const;

/**
 * Where writes addressed to the default graph land (SPARQL Update without GRAPH, the Graph Store
 * Protocol's `?default`): queries see the default graph as the union of every named graph, so
 * what is written "to the default graph" is kept in a named graph of its own and joins the union.
 */
export const DEFAULT_GRAPH_STAND_IN = 'graph/default';

/**
 * ontology/shapes.ttl loads into graph/shapes, every other ontology file into graph/ontology;
 * each RDF file in data/ loads as it is (TriG keeps its graphs; a Turtle file's triples go to
 * graph/<file name>), and a data file with a .txt of the same name is the RDF of that text.
 */
export function findSources(config: Pick<Config, 'ontologyDir' | 'dataDir'>, options: { withoutData?: boolean } = {}): RdfSource[] {
  const ontology = rdfFiles(config.ontologyDir).map((source) => ({
    ...source,
    graph: basename(source.path) === 'shapes.ttl' ? SYSTEM_GRAPHS.shapes : SYSTEM_GRAPHS.ontology,
  }));
  if (options.withoutData) return ontology;
  const data = rdfFiles(config.dataDir).map((source) => {
    const slug = basename(source.path, extname(source.path));
    const textPath = join(config.dataDir, `${slug}.txt`);
    return {
      ...source,
      graph: `graph/${slug}`,
      ...(existsSync(textPath) ? { textSlug: slug, textPath } : {}),
    };
  });
  return [...ontology, ...data];
}

function rdfFiles(dir: string): RdfSource[] {
  if (!existsSync(dir)) throw new Error(`directory not found: ${dir}`);
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const syntax = rdfSyntaxOfFile(name);
      return syntax ? [{ path: join(dir, name), syntax }] : [];
    });
}
