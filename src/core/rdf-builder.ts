// A small helper for writing RDF descriptions in code: blank nodes, literals and typed numbers.

import { DataFactory } from './n3.ts';
import type * as RDF from '@rdfjs/types';
import { PREFIXES, type Prefix } from './namespaces.ts';

const { namedNode, literal, blankNode, quad } = DataFactory;

/** `iri('sd', 'Service')` or `iri('http://...')`. */
export function iri(prefixOrIri: Prefix | string, local?: string): RDF.NamedNode {
  return local === undefined ? namedNode(prefixOrIri) : namedNode(`${PREFIXES[prefixOrIri as Prefix]}${local}`);
}

export const integer = (value: number) => literal(String(value), iri('xsd', 'integer'));
export const text = (value: string, language?: string) => literal(value, language);

type Object = RDF.NamedNode | RDF.BlankNode | RDF.Literal;

/** Collects triples about subjects, in the default graph. */
export class TripleBuilder {
  readonly quads: RDF.Quad[] = [];

  add(subject: RDF.NamedNode | RDF.BlankNode, predicate: RDF.NamedNode, ...objects: Object[]): this {
    for (const object of objects) this.quads.push(quad(subject, predicate, object));
    return this;
  }

  /** A fresh blank node, described by `describe`. */
  node(describe: (node: RDF.BlankNode) => void): RDF.BlankNode {
    const node = blankNode();
    describe(node);
    return node;
  }
}
