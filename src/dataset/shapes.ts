// Validates the union of all graphs against the SHACL shapes with shacl-engine.

import rdf from 'rdf-ext';
import { Validator } from 'shacl-engine';
import type * as RDF from '@rdfjs/types';
import type { ValidationResult } from 'shacl-engine';

/** One SHACL violation, in terms a person can act on. */
export interface Violation {
  focusNode: string;
  path?: string;
  value?: string;
  message: string;
  severity: string;
}

/**
 * Checks `quads` (graph names ignored: shapes apply to the union) against the shapes in
 * `shapeQuads`, and returns the violations, warnings and infos; none means the data conforms.
 */
export async function validateShapes(shapeQuads: RDF.Quad[], quads: RDF.Quad[]): Promise<Violation[]> {
  const shapes = rdf.dataset(shapeQuads.map(asTriple));
  const data = rdf.dataset(quads.map(asTriple));
  const validator = new Validator(shapes, { factory: rdf });
  const report = await validator.validate({ dataset: data });
  return report.results.map(describeResult);
}

function describeResult(result: ValidationResult): Violation {
  const path = result.path?.flatMap((step) => step.predicates.map((p) => p.value)).join('/');
  return {
    focusNode: result.focusNode.term.value,
    ...(path ? { path } : {}),
    ...(result.value?.term ? { value: termText(result.value.term) } : {}),
    message: result.message.map((m) => m.value).join('; ') || 'constraint not met',
    severity: result.severity.value.replace('http://www.w3.org/ns/shacl#', ''),
  };
}

function termText(term: RDF.Term): string {
  if (term.termType === 'Literal') {
    const suffix = term.language ? `@${term.language}` : `^^<${term.datatype.value}>`;
    return `${JSON.stringify(term.value)}${suffix}`;
  }
  return term.termType === 'NamedNode' ? `<${term.value}>` : `_:${term.value}`;
}

function asTriple(quad: RDF.Quad): RDF.Quad {
  return rdf.quad(quad.subject, quad.predicate, quad.object);
}
