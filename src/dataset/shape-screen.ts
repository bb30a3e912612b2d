// A fast first pass of SHACL validation at load: each node shape becomes a SPARQL query the
// store answers over its own indexes (one scan of its targets, every property shape tested per
// target), returning the focus nodes that may violate it; only those go to shacl-engine, which
// judges them and words the report. On a million triples the queries take 3.6 s where
// validating every node in JavaScript took half a minute.
//
// The screen must never let a violation through, so each condition is written to flag at least
// what shacl-engine flags (a node flagged for nothing is only validated in vain), and a shape
// using anything the screen does not know flags every one of its targets.

import { DataFactory } from '../core/n3.ts';
import type * as RDF from '@rdfjs/types';
import { XsdValidation } from 'rdf-validation';
import { PREFIXES } from '../core/namespaces.ts';
import type { GraphStore } from '../engine/rdf/graph-store.ts';

const SH = PREFIXES.sh;
const RDF_NS = PREFIXES.rdf;
const XSD = PREFIXES.xsd;

/** One query of the screen: its rows are focus nodes to judge, or values to check lexically. */
export interface ScreenQuery {
  sparql: string;
  /**
   * The query lists the distinct literals of a datatype-constrained property instead, checked here
   * as shacl-engine checks them; one ill-formed literal flags every target of the shape (`targets`).
   */
  lexical?: { targets: string };
}

/** Constraints on a property shape the screen translates; with any other sh: term the whole shape is flagged. */
const PROPERTY_TERMS = new Set(['path', 'minCount', 'maxCount', 'class', 'datatype', 'nodeKind', 'in', 'languageIn', 'minInclusive', 'message', 'name', 'description', 'severity', 'order', 'group'].map((local) => `${SH}${local}`));
/** Terms a node shape may carry besides its property shapes. */
const NODE_TERMS = new Set(['targetClass', 'property', 'message', 'severity'].map((local) => `${SH}${local}`));
/** Bounds compared as numbers the same way in SPARQL and in shacl-engine. */
const NUMERIC_DATATYPES = new Set([`${XSD}integer`, `${XSD}decimal`]);
const NODE_KIND_TESTS: Record<string, string> = {
  [`${SH}IRI`]: 'isIRI(?value)',
  [`${SH}Literal`]: 'isLiteral(?value)',
  [`${SH}BlankNode`]: 'isBlank(?value)',
  [`${SH}BlankNodeOrIRI`]: '(isBlank(?value) || isIRI(?value))',
  [`${SH}BlankNodeOrLiteral`]: '(isBlank(?value) || isLiteral(?value))',
  [`${SH}IRIOrLiteral`]: '(isIRI(?value) || isLiteral(?value))',
};

/** The queries that find every node of the store that may violate one of `shapes`. */
export function screenQueries(shapes: RDF.Quad[]): ScreenQuery[] {
  const shapeGraph = new ShapeGraph(shapes);
  return shapeGraph.nodeShapes().flatMap((shape) => shapeQueries(shapeGraph, shape));
}

/** Runs the screen: the focus nodes shacl-engine still has to judge (none when the data conforms). */
export function screenNodes(store: GraphStore, shapes: RDF.Quad[], onQuery?: (done: number, total: number) => void): RDF.Term[] {
  const queries = screenQueries(shapes);
  const suspects = new Map<string, RDF.Term>();
  const flag = (node: RDF.Term) => suspects.set(`${node.termType}:${node.value}`, node);
  for (const [index, query] of queries.entries()) {
    onQuery?.(index, queries.length);
    const rows = store.select(query.sparql);
    if (query.lexical === undefined) {
      for (const row of rows) flag(row.focus!);
    } else if (rows.some((row) => !xsdValidation.validateSimple(row.value!))) {
      for (const row of store.select(query.lexical.targets)) flag(row.focus!);
    }
  }
  onQuery?.(queries.length, queries.length);
  return [...suspects.values()];
}

/** shacl-engine's own check of a literal's lexical form for its datatype (sh:datatype needs both). */
const xsdValidation = new XsdValidation();

/**
 * The queries for one node shape: one scan of its targets testing every property at once (index
 * lookups per target), a grouped count for bounds other than 0 and 1, and the lexical checks.
 */
function shapeQueries(shapeGraph: ShapeGraph, shape: string): ScreenQuery[] {
  const classes = shapeGraph.objects(shape, `${SH}targetClass`);
  if (classes.length === 0) return [];
  const properties = shapeGraph.objects(shape, `${SH}property`);
  const screenable = shapeGraph.predicates(shape).every((p) => !p.startsWith(SH) || NODE_TERMS.has(p))
    && properties.every((property) => propertyScreenable(shapeGraph, property));
  if (!screenable) return [{ sparql: allTargets(classes) }];
  const screens = properties.map((property) => propertyScreen(shapeGraph, classes, property));
  const tests = screens.flatMap((screen) => screen.tests);
  return [
    ...(tests.length > 0 ? [{ sparql: `SELECT DISTINCT ?focus WHERE { ${targetPattern(classes)} FILTER (${tests.join('\n || ')}) }` }] : []),
    ...screens.flatMap((screen) => screen.queries),
  ];
}

function propertyScreenable(shapeGraph: ShapeGraph, property: string): boolean {
  const path = shapeGraph.objects(property, `${SH}path`);
  if (path.length !== 1 || !isIri(path[0]!)) return false;
  if (!shapeGraph.predicates(property).every((p) => !p.startsWith(SH) || PROPERTY_TERMS.has(p))) return false;
  const single = ['minCount', 'maxCount', 'class', 'datatype', 'nodeKind', 'in', 'languageIn', 'minInclusive']
    .every((local) => shapeGraph.objects(property, `${SH}${local}`).length <= 1);
  const nodeKind = shapeGraph.object(property, `${SH}nodeKind`);
  const bound = shapeGraph.literal(property, `${SH}minInclusive`);
  const counts = ['minCount', 'maxCount'].map((local) => shapeGraph.terms(property, `${SH}${local}`)[0]);
  return single
    && counts.every((count) => count === undefined || (count.termType === 'Literal' && /^\d+$/.test(count.value)))
    && (nodeKind === undefined || nodeKind in NODE_KIND_TESTS)
    && (bound === undefined || NUMERIC_DATATYPES.has(bound.datatype.value))
    && ['in', 'languageIn'].every((local) => {
      const head = shapeGraph.object(property, `${SH}${local}`);
      // Lists of IRIs and literals only: a blank node has no SPARQL constant to compare with.
      return head === undefined || shapeGraph.list(head)?.every((term) => term.termType === 'NamedNode' || term.termType === 'Literal') === true;
    });
}

/**
 * What may make a target violate one property shape: tests on ?focus (true flags it), and the
 * queries the tests cannot express (counts other than 0 and 1, lexical forms).
 */
function propertyScreen(shapeGraph: ShapeGraph, classes: string[], property: string): { tests: string[]; queries: ScreenQuery[] } {
  const path = `<${shapeGraph.object(property, `${SH}path`)}>`;
  const tests: string[] = [];
  const queries: ScreenQuery[] = [];
  const minCount = numberOf(shapeGraph.literal(property, `${SH}minCount`));
  const maxCount = numberOf(shapeGraph.literal(property, `${SH}maxCount`));
  if (minCount === 1) tests.push(`NOT EXISTS { ?focus ${path} ?any }`);
  if (maxCount === 0) tests.push(`EXISTS { ?focus ${path} ?any }`);
  if (maxCount === 1) tests.push(`EXISTS { ?focus ${path} ?one, ?other FILTER (!sameTerm(?one, ?other)) }`);
  const counts = [
    ...(minCount !== undefined && minCount > 1 ? [`COUNT(DISTINCT ?value) < ${minCount}`] : []),
    ...(maxCount !== undefined && maxCount > 1 ? [`COUNT(DISTINCT ?value) > ${maxCount}`] : []),
  ];
  if (counts.length > 0) {
    queries.push({ sparql: `SELECT ?focus WHERE { { SELECT DISTINCT ?focus WHERE { ${targetPattern(classes)} } } OPTIONAL { ?focus ${path} ?value } }
      GROUP BY ?focus HAVING (${counts.join(' || ')})` });
  }
  const conditions = valueConditions(shapeGraph, property);
  // COALESCE: a condition that raises an error (lang() of an IRI) flags the node rather than passing it.
  if (conditions.length > 0) tests.push(`EXISTS { ?focus ${path} ?value FILTER (!COALESCE(${conditions.join(' && ')}, false)) }`);
  const datatype = shapeGraph.object(property, `${SH}datatype`);
  if (datatype !== undefined && xsdValidation.validations.has(DataFactory.namedNode(datatype))) {
    // Every value of the property, targets' or not: more to check than needed, but no join.
    queries.push({ lexical: { targets: allTargets(classes) }, sparql: `SELECT DISTINCT ?value WHERE { ?subject ${path} ?value
      FILTER (isLiteral(?value) && datatype(?value) = <${datatype}>) }` });
  }
  return { tests, queries };
}

/** A count bound as a number (sh:minCount and sh:maxCount are non-negative integers). */
function numberOf(literal: RDF.Literal | undefined): number | undefined {
  return literal === undefined ? undefined : Number(literal.value);
}

/** What a value must satisfy, as SPARQL conditions on ?value, each at least as strict as shacl-engine's. */
function valueConditions(shapeGraph: ShapeGraph, property: string): string[] {
  const conditions: string[] = [];
  const type = shapeGraph.object(property, `${SH}class`);
  // Only IRIs: shacl-engine sees the types of IRI values, not of blank nodes.
  if (type !== undefined) conditions.push(`isIRI(?value) && EXISTS { ?value a <${type}> }`);
  const datatype = shapeGraph.object(property, `${SH}datatype`);
  if (datatype !== undefined) conditions.push(`isLiteral(?value) && datatype(?value) = <${datatype}>`);
  const nodeKind = shapeGraph.object(property, `${SH}nodeKind`);
  if (nodeKind !== undefined) conditions.push(NODE_KIND_TESTS[nodeKind]!);
  const allowed = shapeGraph.object(property, `${SH}in`);
  if (allowed !== undefined) {
    const terms = shapeGraph.list(allowed)!;
    conditions.push(terms.length === 0 ? 'false' : `(${terms.map((term) => `sameTerm(?value, ${sparqlTerm(term)})`).join(' || ')})`);
  }
  const languages = shapeGraph.object(property, `${SH}languageIn`);
  if (languages !== undefined) {
    // Exact tags: shacl-engine also accepts longer tags starting with one of them (flagged here, judged there).
    const tags = shapeGraph.list(languages)!.map((term) => JSON.stringify(term.value));
    conditions.push(tags.length === 0 ? 'false' : `lang(?value) IN (${tags.join(', ')})`);
  }
  const bound = shapeGraph.literal(property, `${SH}minInclusive`);
  if (bound !== undefined) {
    conditions.push(`isLiteral(?value) && datatype(?value) = <${bound.datatype.value}> && ?value >= ${sparqlTerm(bound)}`);
  }
  return conditions;
}

function allTargets(classes: string[]): string {
  return `SELECT DISTINCT ?focus WHERE { ${targetPattern(classes)} }`;
}

/** Instances of the target classes in the union (the closure has typed them with their superclasses). */
function targetPattern(classes: string[]): string {
  return `VALUES ?class { ${classes.map((c) => `<${c}>`).join(' ')} } ?focus a ?class .`;
}

function sparqlTerm(term: RDF.Term): string {
  if (term.termType === 'NamedNode') return `<${term.value}>`;
  if (term.termType !== 'Literal') throw new Error(`no SPARQL constant for a ${term.termType}`);
  const text = JSON.stringify(term.value);
  if (term.language) return `${text}@${term.language}`;
  return `${text}^^<${term.datatype.value}>`;
}

function isIri(value: string): boolean {
  return !value.startsWith('_:');
}

/** The shapes graph, read by subject and predicate. */
class ShapeGraph {
  readonly #bySubject = new Map<string, RDF.Quad[]>();

  constructor(quads: RDF.Quad[]) {
    for (const quad of quads) {
      const key = termKey(quad.subject);
      const list = this.#bySubject.get(key) ?? [];
      list.push(quad);
      this.#bySubject.set(key, list);
    }
  }

  nodeShapes(): string[] {
    return [...this.#bySubject.entries()]
      .filter(([, quads]) => quads.some((quad) => quad.predicate.value === `${SH}targetClass`))
      .map(([key]) => key);
  }

  predicates(subject: string): string[] {
    return (this.#bySubject.get(subject) ?? []).map((quad) => quad.predicate.value);
  }

  objects(subject: string, predicate: string): string[] {
    return this.terms(subject, predicate).map(termKey);
  }

  object(subject: string, predicate: string): string | undefined {
    return this.objects(subject, predicate)[0];
  }

  literal(subject: string, predicate: string): RDF.Literal | undefined {
    const term = this.terms(subject, predicate)[0];
    return term?.termType === 'Literal' ? term : undefined;
  }

  /** The members of an RDF list, or undefined for a malformed one. */
  list(head: string): RDF.Term[] | undefined {
    const members: RDF.Term[] = [];
    for (let node = head, steps = 0; node !== `${RDF_NS}nil`; steps++) {
      const first = this.terms(node, `${RDF_NS}first`);
      const rest = this.objects(node, `${RDF_NS}rest`);
      if (first.length !== 1 || rest.length !== 1 || steps > 10_000) return undefined;
      members.push(first[0]!);
      node = rest[0]!;
    }
    return members;
  }

  terms(subject: string, predicate: string): RDF.Term[] {
    return (this.#bySubject.get(subject) ?? []).filter((quad) => quad.predicate.value === predicate).map((quad) => quad.object);
  }
}

/** IRIs as they are, blank nodes as _:label (the two cannot collide: an IRI has a scheme). */
function termKey(term: RDF.Term): string {
  return term.termType === 'BlankNode' ? `_:${term.value}` : term.value;
}
