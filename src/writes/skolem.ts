// Blank nodes written by clients become IRIs under /.well-known/genid/ (RDF 1.1 §3.5), so that the
// journal, the worker copies and later writes can all name them.

import { randomUUID } from 'node:crypto';
import { DataFactory } from '../core/n3.ts';
import type * as RDF from '@rdfjs/types';

export const GENID_PATH = '/.well-known/genid/';

/** The prefix of skolem IRIs for a base IRI: at the root of its authority, as RFC 8615 places /.well-known. */
export function genidPrefix(baseIri: string): string {
  return new URL(GENID_PATH, baseIri).href;
}

/** A function giving each blank node label one fresh skolem IRI (a new function: new labels). */
export function skolemizer(baseIri: string): (label: string) => RDF.NamedNode {
  const prefix = genidPrefix(baseIri);
  const iris = new Map<string, RDF.NamedNode>();
  return (label) => {
    let iri = iris.get(label);
    if (!iri) {
      iri = DataFactory.namedNode(`${prefix}${randomUUID()}`);
      iris.set(label, iri);
    }
    return iri;
  };
}

/** The quads with their blank nodes replaced by skolem IRIs (one per label across all of them). */
export function skolemizeQuads(quads: RDF.Quad[], baseIri: string): RDF.Quad[] {
  const skolem = skolemizer(baseIri);
  const term = <T extends RDF.Term>(t: T): T => (t.termType === 'BlankNode' ? skolem(t.value) as unknown as T : t);
  return quads.map((quad) => DataFactory.quad(term(quad.subject), quad.predicate, term(quad.object), term(quad.graph)));
}

/** The reverse, for graph documents: skolem IRIs become blank nodes again (labels kept stable). */
export function deskolemizeQuads(quads: RDF.Quad[], baseIri: string): RDF.Quad[] {
  const prefix = genidPrefix(baseIri);
  const term = <T extends RDF.Term>(t: T): T =>
    (t.termType === 'NamedNode' && t.value.startsWith(prefix) ? DataFactory.blankNode(`g${t.value.slice(prefix.length).replace(/-/g, '')}`) as unknown as T : t);
  return quads.map((quad) => DataFactory.quad(term(quad.subject), quad.predicate, term(quad.object), quad.graph));
}
