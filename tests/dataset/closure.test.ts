import { describe, expect, it } from 'vitest';
import { GraphStore } from '../../src/engine/rdf/graph-store.ts';
import { materializeClosure } from '../../src/dataset/closure.ts';

const ONTOLOGY = 'urn:graph:ontology';
const INFERRED = 'urn:graph:inferred';

function inferredTriples(store: GraphStore): string[] {
  return store.select(`SELECT ?s ?p ?o WHERE { GRAPH <${INFERRED}> { ?s ?p ?o } }`)
    .map((row) => `${row.s!.value} ${row.p!.value} ${row.o!.value}`).sort();
}

describe('the materialized closure', () => {
  it('follows chains that need several rounds (inverses and super-properties of inferred triples)', () => {
    const store = new GraphStore();
    store.load(`@prefix ex: <urn:ex:> . @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
      ex:p owl:inverseOf ex:q . ex:q rdfs:subPropertyOf ex:r . ex:r owl:inverseOf ex:s .
      ex:s rdfs:subPropertyOf ex:t . ex:t owl:inverseOf ex:u .
      ex:C rdfs:subClassOf ex:D . ex:D rdfs:subClassOf ex:E .`, { syntax: 'turtle', baseIri: 'urn:base:', graph: ONTOLOGY, source: 'ontology' });
    store.load(`@prefix ex: <urn:ex:> . ex:a ex:p ex:b . ex:a a ex:C .`,
      { syntax: 'turtle', baseIri: 'urn:base:', graph: 'urn:graph:data', source: 'data' });
    const added = materializeClosure(store, ONTOLOGY, INFERRED);
    expect(inferredTriples(store)).toEqual([
      'urn:ex:a http://www.w3.org/1999/02/22-rdf-syntax-ns#type urn:ex:D',
      'urn:ex:a http://www.w3.org/1999/02/22-rdf-syntax-ns#type urn:ex:E',
      'urn:ex:a urn:ex:s urn:ex:b', // round 2: the inverse of b r a
      'urn:ex:a urn:ex:t urn:ex:b', // round 3: s is a sub-property of t
      'urn:ex:b urn:ex:q urn:ex:a', // round 1: the inverse of a p b
      'urn:ex:b urn:ex:r urn:ex:a', // round 2: q is a sub-property of r
      'urn:ex:b urn:ex:u urn:ex:a', // round 3: the inverse of a t b
    ]);
    expect(added).toBe(7);
    // A second run finds nothing left to add.
    expect(materializeClosure(store, ONTOLOGY, INFERRED)).toBe(0);
  });
});
