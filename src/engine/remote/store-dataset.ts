// How our dataset lives in a remote store, and how a query is sent so that it sees exactly the
// dataset the embedded engine would show it.
//
// In the store: every named graph of ours as it is; the union default graph materialized as the
// graph `graph/union` (a set, as queries here see it; a store's own union of all graphs is a bag,
// and holds the store's system graphs too); and `graph/registry`, naming each graph of ours
// (`<g> a sd:NamedGraph`). A query without a dataset of its own (no FROM, no FROM NAMED, no
// protocol dataset) is rewritten: its triple patterns outside GRAPH read `GRAPH <graph/union>`,
// and each `GRAPH ?var` is joined with the registry, so it ranges over our graphs only: not the
// union, not the registry, not the store's own graphs (Virtuoso's virtrdf#, for one). The protocol's
// default-graph-uri cannot do this: with it, SPARQL (and Virtuoso) leave no named graphs at all
// unless every one is listed.

import sparqljs from 'sparqljs';

const { Parser, Generator } = sparqljs;

export const SD_NAMED_GRAPH = 'http://www.w3.org/ns/sparql-service-description#NamedGraph';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

/** The graphs that hold the store's view of our dataset, under a base IRI. */
export interface StoreGraphs {
  union: string;
  registry: string;
}

export function storeGraphs(baseIri: string): StoreGraphs {
  return { union: `${baseIri}graph/union`, registry: `${baseIri}graph/registry` };
}

export interface StoreQuery {
  query: string;
  defaultGraphs?: string[];
  namedGraphs?: string[];
}

/**
 * The query as the store must run it to see our dataset. A protocol dataset is passed on as it
 * is (graphs of the store by name, as embedded); a query with FROM or FROM NAMED is sent untouched.
 */
export function forStore(query: string, graphs: StoreGraphs, dataset: { defaultGraphs?: string[]; namedGraphs?: string[] }, baseIri?: string): StoreQuery {
  if (dataset.defaultGraphs || dataset.namedGraphs) {
    return { query, defaultGraphs: dataset.defaultGraphs ?? [], namedGraphs: dataset.namedGraphs ?? [] };
  }
  // Without GRAPH (or FROM) a query reads the default graph alone: default-graph-uri says it all,
  // and the text goes as it is (no parse: most queries take this way).
  if (!/\bGRAPH\b/i.test(query) && !/\bFROM\b/i.test(query)) return { query, defaultGraphs: [graphs.union] };
  let parsed: sparqljs.SparqlQuery;
  try {
    parsed = new Parser({ ...(baseIri ? { baseIRI: baseIri } : {}), skipValidation: true } as sparqljs.ParserOptions).parse(query);
  } catch {
    // Our own syntax check passed; a query this parser cannot read goes as it is.
    return { query, defaultGraphs: [graphs.union] };
  }
  if (parsed.type !== 'query') return { query };
  if ((parsed.from?.default.length ?? 0) + (parsed.from?.named.length ?? 0) > 0) return { query };
  parsed.where = parsed.where?.map((pattern) => toStorePattern(pattern, graphs, false));
  return { query: new Generator().stringify(parsed) };
}

type Pattern = sparqljs.Pattern;

const iri = (value: string) => ({ termType: 'NamedNode', value }) as sparqljs.IriTerm;

/**
 * Triple patterns of the default graph (`inGraph` false) read graph/union; every `GRAPH ?var { … }`
 * becomes `{ GRAPH <registry> { ?var a sd:NamedGraph } GRAPH ?var { … } }`. SERVICE is left alone.
 */
function toStorePattern(pattern: Pattern, graphs: StoreGraphs, inGraph: boolean): Pattern {
  const walk = (inner: Pattern) => toStorePattern(inner, graphs, inGraph);
  switch (pattern.type) {
    case 'bgp':
      return inGraph ? pattern : { type: 'graph', name: iri(graphs.union), patterns: [pattern] };
    case 'graph': {
      const graph: sparqljs.GraphPattern = { ...pattern, patterns: pattern.patterns.map((inner) => toStorePattern(inner, graphs, true)) };
      if (pattern.name.termType !== 'Variable') return graph;
      const registry = graphs.registry;
      const membership: sparqljs.GraphPattern = {
        type: 'graph',
        name: iri(registry),
        patterns: [{
          type: 'bgp',
          triples: [{
            subject: pattern.name,
            predicate: iri(RDF_TYPE),
            object: iri(SD_NAMED_GRAPH),
          }],
        }],
      };
      return { type: 'group', patterns: [membership, graph] };
    }
    case 'service':
      return pattern;
    case 'group':
    case 'optional':
    case 'minus':
      return { ...pattern, patterns: pattern.patterns.map(walk) } as Pattern;
    case 'union':
      return { ...pattern, patterns: pattern.patterns.map(walk) };
    case 'filter':
      return { ...pattern, expression: walkExpression(pattern.expression, walk) };
    case 'bind':
      return { ...pattern, expression: walkExpression(pattern.expression, walk) };
    case 'query':
      return { ...pattern, where: pattern.where?.map(walk) } as Pattern;
    default:
      return pattern;
  }
}

/** EXISTS and NOT EXISTS hold patterns of their own. */
function walkExpression(expression: sparqljs.Expression, walk: (pattern: Pattern) => Pattern): sparqljs.Expression {
  if (!expression || typeof expression !== 'object' || !('type' in expression)) return expression;
  if (expression.type === 'operation') {
    return {
      ...expression,
      args: expression.args.map((arg) => (arg && typeof arg === 'object' && 'type' in arg && isPattern(arg)
        ? walk(arg as Pattern) as unknown as sparqljs.Expression
        : walkExpression(arg as sparqljs.Expression, walk))),
    };
  }
  return expression;
}

function isPattern(value: { type: string }): boolean {
  return ['bgp', 'group', 'graph', 'optional', 'minus', 'union', 'filter', 'bind', 'values', 'service', 'query'].includes(value.type);
}
