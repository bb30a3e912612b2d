// Builds the knowledge graph: loads ontology and data, checks text anchors, materializes the
// closure, validates with SHACL, and refuses invalid data with every problem listed.

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Config } from '../core/config.ts';
import { DataError } from '../core/errors.ts';
import { ONTOLOGY_IRI, PREFIXES } from '../core/namespaces.ts';
import { findSources, SYSTEM_GRAPHS, type RdfSource } from './sources.ts';
import { GraphStore, type LoadOptions } from '../engine/rdf/graph-store.ts';
import { attachSourceText, checkTextAnchors } from './text-anchors.ts';
import { materializeClosure } from './closure.ts';
import type { Violation } from './shapes.ts';
import { validateNodes } from './shape-scope.ts';
import { screenNodes } from './shape-screen.ts';
import { loadSavedQueries, type SavedQuery } from './saved-queries.ts';
import { savedQueryProblems, savedQueryQuads, QUERIES_GRAPH } from './saved-queries-rdf.ts';

export interface BuildOptions {
  /** Run SHACL validation (default true). Worker copies of a validated store may skip it. */
  validate?: boolean;
  /** Leave the anchor and SHACL checks to a later checkKnowledgeGraph (after written changes are replayed). */
  deferChecks?: boolean;
  /** Told as long work advances: files loaded, then nodes checked against the shapes. */
  onProgress?: (progress: BuildProgress) => void;
  /**
   * Called once the files, texts and saved queries are in the store, before the closure and the
   * union are derived from them (into the inferred graph and the default graph): a server starts
   * its query workers on the data here.
   */
  onDataLoaded?: (store: GraphStore) => void;
  /**
   * Only the ontology, shapes and saved queries: what a server over a remote store keeps here (the
   * closure rules, the write checks, the query list); the data is in the store.
   */
  withoutData?: boolean;
}

export interface BuildProgress {
  /** Files parsed, then the screen's queries over the store, then the nodes shacl-engine judges. */
  step: 'load' | 'screen' | 'shapes';
  done: number;
  total: number;
  unit: 'files' | 'queries' | 'nodes';
}

/** What each step of the build is called in progress lines and logs. */
export const BUILD_STEP_NAMES: Record<BuildProgress['step'], string> = {
  load: 'loading the data',
  screen: 'screening the data for the shapes',
  shapes: 'checking the shapes',
};

export interface KnowledgeGraph {
  store: GraphStore;
  /** The saved queries of queries/, checked to parse. */
  savedQueries: SavedQuery[];
  /**
   * The file a named graph was loaded from (or the graph IRI, if none), for problem reports: the
   * first call reads every file again, so loading does not pay for it.
   */
  fileOf: (graph: string) => string;
  inferredTriples: number;
  loadMs: number;
}

type BuildConfig = Pick<Config, 'baseIri' | 'ontologyDir' | 'dataDir' | 'queriesDir'> & Partial<Pick<Config, 'maxQuads'>>;

/** Loads, checks and validates everything; throws DataError listing every problem found. */
export async function buildKnowledgeGraph(config: BuildConfig, options: BuildOptions = {}): Promise<KnowledgeGraph> {
  const started = performance.now();
  const store = new GraphStore();
  const sources = findSources(config, { withoutData: options.withoutData === true });
  loadSources(store, sources, config, options.onProgress);

  for (const source of sources) {
    if (source.textSlug && source.textPath) {
      attachSourceText(store, config.baseIri, source.textSlug, readFileSync(source.textPath, 'utf8'));
    }
  }

  const savedQueries = loadSavedQueries(config.queriesDir);
  const queryProblems = savedQueryProblems(savedQueries);
  if (queryProblems.length > 0) throw new DataError('saved queries that do not parse', queryProblems);
  for (const quad of savedQueryQuads(savedQueries, config.baseIri)) store.add(quad);

  const graph = (relativeIri: string) => `${config.baseIri}${relativeIri}`;
  describeSystemGraphs(store, config.baseIri);
  options.onDataLoaded?.(store);
  const inferredTriples = materializeClosure(store, graph(SYSTEM_GRAPHS.ontology), graph(SYSTEM_GRAPHS.inferred));
  store.materializeUnionDefaultGraph();

  const fileOf = graphFileIndex(sources, config, {
    [`${config.baseIri}${SYSTEM_GRAPHS.inferred}`]: 'the materialized closure',
    [`${config.baseIri}${QUERIES_GRAPH}`]: config.queriesDir,
  });
  const kg = { store, savedQueries, fileOf, inferredTriples, loadMs: 0 };
  if (!options.deferChecks) await checkKnowledgeGraph(kg, config.baseIri, options);
  kg.loadMs = performance.now() - started;
  return kg;
}

/** The text anchors, then the SHACL shapes (unless `validate` is false); throws DataError listing every problem. */
export async function checkKnowledgeGraph(kg: KnowledgeGraph, baseIri: string, options: BuildOptions = {}): Promise<void> {
  const { store, fileOf } = kg;
  const anchorProblems = checkTextAnchors(store, fileOf);
  if (anchorProblems.length > 0) {
    throw new DataError('source text offsets do not match the text', anchorProblems);
  }
  if (options.validate !== false) {
    const shapes = store.quads(`${baseIri}${SYSTEM_GRAPHS.shapes}`);
    const nodes = screenNodes(store, shapes,
      (done, total) => options.onProgress?.({ step: 'screen', done, total, unit: 'queries' }));
    const violations = await validateNodes(store, shapes, nodes,
      (done) => options.onProgress?.({ step: 'shapes', done, total: nodes.length, unit: 'nodes' }));
    if (violations.length > 0) {
      throw new DataError('the data does not conform to the SHACL shapes (ontology/shapes.ttl)',
        violations.map((v) => describeViolation(v, store, fileOf)));
    }
  }
}

/** Loads every file, collecting the syntax errors of all of them before failing. */
function loadSources(store: GraphStore, sources: RdfSource[], config: BuildConfig, onProgress?: BuildOptions['onProgress']): void {
  const problems: string[] = [];
  let uncounted = 0;
  for (const [index, source] of sources.entries()) {
    onProgress?.({ step: 'load', done: index, total: sources.length, unit: 'files' });
    if (uncounted >= SIZE_CHECK_CHARS) {
      checkCapacity(store, config.maxQuads, index, sources.length);
      uncounted = 0;
    }
    try {
      const text = readFileSync(source.path, 'utf8');
      uncounted += text.length;
      store.load(text, loadOptions(source, config.baseIri));
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new DataError('cannot parse the ontology or data files', problems);
  checkCapacity(store, config.maxQuads, sources.length, sources.length);
  onProgress?.({ step: 'load', done: sources.length, total: sources.length, unit: 'files' });
}

function loadOptions(source: RdfSource, baseIri: string): LoadOptions {
  return {
    syntax: source.syntax,
    baseIri,
    ...(source.graph ? { graph: `${baseIri}${source.graph}` } : {}),
    source: displayPath(source.path),
  };
}

/**
 * Names the file each graph came from, reading the files again the first time it is asked
 * (problem reports only). A graph in several files is named after the first; `known` names the
 * graphs no file holds.
 */
function graphFileIndex(sources: RdfSource[], config: BuildConfig, known: Record<string, string>): (graph: string) => string {
  let files: Map<string, string> | undefined;
  return (graph) => {
    if (!files) {
      files = new Map(Object.entries(known));
      for (const source of sources) {
        const options = loadOptions(source, config.baseIri);
        for (const name of GraphStore.graphsOf(readFileSync(source.path, 'utf8'), options)) {
          if (!files.has(name)) files.set(name, options.source);
        }
      }
    }
    return files.get(graph) ?? graph;
  };
}

/** Characters of RDF loaded between two looks at the store's size (counting a large store takes tens of ms). */
const SIZE_CHECK_CHARS = 8 * 1024 * 1024;

/**
 * The largest graph the embedded store holds: one oxigraph store lives in WebAssembly memory, at
 * most 4 GiB, and the union default graph is materialized beside the files' quads. Past the limit
 * the start ends here with a message, rather than later with a WebAssembly trap.
 */
function checkCapacity(store: GraphStore, maxQuads: number | undefined, loaded: number, files: number): void {
  if (maxQuads === undefined || store.size <= maxQuads) return;
  throw new DataError(`the data is too large for the embedded store: ${store.size.toLocaleString('en-US')} quads after ${loaded} of ${files} files, more than KG_MAX_QUADS=${maxQuads.toLocaleString('en-US')}`, [
    'one embedded store holds its data and their union in at most 4 GiB of WebAssembly memory (5 million triples of synthetic news ran out of it)',
    'serve larger data from a SPARQL store: KG_STORE=sparql with KG_STORE_QUERY_URL, loaded by `kg push` (see "Scaling out" in the README)',
  ]);
}

/** The graphs the loader fills itself say what they are and where they come from. */
function describeSystemGraphs(store: GraphStore, baseIri: string): void {
  const descriptions: Array<[keyof typeof SYSTEM_GRAPHS, string, string]> = [
    ['ontology', 'The diplomacy-kg ontology', `<${ONTOLOGY_IRI}>`],
    ['shapes', 'The SHACL shapes the data is validated against', `<${ONTOLOGY_IRI}>`],
    ['inferred', 'Triples materialized from the ontology: the RDFS class and property closure and inverse properties', `<${baseIri}${SYSTEM_GRAPHS.ontology}>`],
  ];
  for (const [key, label, derivedFrom] of descriptions) {
    const graph = `<${baseIri}${SYSTEM_GRAPHS[key]}>`;
    store.update(`INSERT DATA { GRAPH ${graph} {
      ${graph} a <${PREFIXES.prov}Entity> ;
        <${PREFIXES.rdfs}label> ${JSON.stringify(label)}@en ;
        <${PREFIXES.prov}wasDerivedFrom> ${derivedFrom} .
    } }`);
  }
}

function describeViolation(violation: Violation, store: GraphStore, fileOf: (graph: string) => string): string {
  const graphs = store.select(`SELECT DISTINCT ?g WHERE { GRAPH ?g { <${violation.focusNode}> ?p ?o } }`);
  const files = [...new Set(graphs.map((row) => fileOf(row.g!.value)))].join(', ') || 'no file';
  const path = violation.path ? ` ${violation.path}` : '';
  const value = violation.value ? ` (value ${violation.value})` : '';
  return `${files}: <${violation.focusNode}>${path}: ${violation.message}${value}`;
}

function displayPath(path: string): string {
  const fromCwd = relative(process.cwd(), path);
  return fromCwd.startsWith('..') ? path : fromCwd;
}
