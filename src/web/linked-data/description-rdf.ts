// A resource's description as RDF: its facts (outgoing and incoming, each once) and, for each
// fact, an rdf:Statement that says which sentence it was derived from and quotes that sentence.
// Standard reification keeps the provenance in every triple format (Turtle, N-Triples, RDF/XML).

import { DataFactory } from '../../core/n3.ts';
import type * as RDF from '@rdfjs/types';
import { PREFIXES } from '../../core/namespaces.ts';
import type { JsonTerm } from '../../engine/select-rows.ts';
import type { ResourceDescription } from './describe.ts';

const { namedNode, blankNode, literal, quad } = DataFactory;
const rdf = (local: string) => namedNode(`${PREFIXES.rdf}${local}`);

export function descriptionQuads(description: ResourceDescription): RDF.Quad[] {
  const quads: RDF.Quad[] = [];
  const quoted = new Set<string>();
  for (const fact of [...description.outgoing, ...description.incoming]) {
    const [s, p, o] = [toTerm(fact.subject), toTerm(fact.predicate), toTerm(fact.object)];
    quads.push(quad(s as RDF.Quad_Subject, p as RDF.Quad_Predicate, o as RDF.Quad_Object));
    const statement = blankNode();
    quads.push(
      quad(statement, rdf('type'), rdf('Statement')),
      quad(statement, rdf('subject'), s as RDF.Quad_Object),
      quad(statement, rdf('predicate'), p as RDF.Quad_Object),
      quad(statement, rdf('object'), o as RDF.Quad_Object),
    );
    for (const evidence of fact.evidence) {
      const source = namedNode(evidence.sentence ?? evidence.graph);
      quads.push(quad(statement, namedNode(`${PREFIXES.prov}wasDerivedFrom`), source));
      if (evidence.text && !quoted.has(source.value)) {
        quoted.add(source.value);
        quads.push(quad(source, namedNode(`${PREFIXES.nif}anchorOf`), literal(evidence.text)));
      }
    }
  }
  return quads;
}

function toTerm(term: JsonTerm): RDF.Term {
  if (term.type === 'uri') return namedNode(term.value);
  if (term.type === 'bnode') return blankNode(term.value);
  return literal(term.value, term['xml:lang'] || (term.datatype ? namedNode(term.datatype) : undefined));
}
