import { describe, expect, it } from 'vitest';
import { GraphStore, NQuadsLoader } from '../../../src/engine/rdf/graph-store.ts';

/** N-Quads lines enough to span several of the 4 MB pieces fromNQuads loads at a time. */
function bulkLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `<urn:s${i}> <urn:p> "value ${i} ${'x'.repeat(80)}" <urn:g${i % 7}> .`);
}

describe('a store copied through its N-Quads dump (how workers get their copy)', () => {
  it('holds the same quads, default graph, non-ASCII text and "_:" inside literals included', () => {
    const original = new GraphStore();
    original.load(`@prefix ex: <urn:ex:> .
      ex:a ex:name "Душанбе" ; ex:note "a literal with _: inside" .
      GRAPH ex:g { ex:a ex:knows [ ex:name "someone" ] }`, { syntax: 'trig', baseIri: 'urn:base:', source: 'test' });
    const dump = original.dumpAll();
    expect(dump.buffer).toBeInstanceOf(SharedArrayBuffer);
    const copy = GraphStore.fromNQuads(dump);
    expect(copy.size).toBe(original.size);
    expect(copy.ask('ASK { <urn:ex:a> <urn:ex:name> "Душанбе" ; <urn:ex:note> "a literal with _: inside" }')).toBe(true);
    expect(copy.ask('ASK { GRAPH <urn:ex:g> { <urn:ex:a> <urn:ex:knows> ?b . ?b <urn:ex:name> "someone" } FILTER isBlank(?b) }')).toBe(true);
  });

  it('keeps a blank node one node when its lines fall in different pieces of the load', () => {
    const lines = ['_:shared <urn:p> "first" <urn:g0> .', ...bulkLines(60_000), '_:shared <urn:q> "last" <urn:g0> .'];
    const text = new TextEncoder().encode(lines.join('\n'));
    expect(text.length).toBeGreaterThan(4 * 1024 * 1024);
    const copy = GraphStore.fromNQuads(text);
    expect(copy.size).toBe(60_002);
    expect(copy.select('SELECT ?b WHERE { GRAPH <urn:g0> { ?b <urn:p> "first" ; <urn:q> "last" } }')).toHaveLength(1);
  });
});

/**
 * Dumps the store's data, derives from it (a named graph about whoever is known, and the union),
 * then loads the data's dump and the derived graph's into a copy, which makes the union itself:
 * how workers start beside the checks.
 */
function copyThroughTwoDumps(store: GraphStore): GraphStore {
  const data = store.dumpAll();
  store.update('INSERT { GRAPH <urn:ex:inferred> { ?b a <urn:ex:Person> } } WHERE { GRAPH ?g { ?a <urn:ex:knows> ?b } }');
  store.materializeUnionDefaultGraph();
  const loader = new NQuadsLoader();
  loader.add(data);
  loader.add(store.dumpGraph('urn:ex:inferred'));
  return loader.finishWithUnion();
}

/** A dump loaded again, the union made unless the dump held it (how a worker loads one). */
function loadWithUnion(...parts: Uint8Array[]): GraphStore {
  const loader = new NQuadsLoader();
  for (const part of parts) loader.add(part);
  return loader.finishWithUnion();
}

describe('a store copied in two dumps: the data first, then what is derived from it', () => {
  it('the derived dump holds the derived graph alone: the union is left to the copy', () => {
    const store = new GraphStore();
    store.load('GRAPH <urn:ex:g> { <urn:ex:a> <urn:ex:knows> <urn:ex:b> }', { syntax: 'trig', baseIri: 'urn:base:', source: 'test' });
    store.update('INSERT DATA { GRAPH <urn:ex:inferred> { <urn:ex:b> a <urn:ex:Person> } }');
    store.materializeUnionDefaultGraph();
    const derived = new TextDecoder().decode(store.dumpGraph('urn:ex:inferred'));
    expect(derived.trim().split('\n')).toEqual(['<urn:ex:b> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:ex:Person> <urn:ex:inferred> .']);
  });

  it('a copy whose dump held the union keeps it as it is (a union made twice would be the same, at the cost of a second)', () => {
    const store = new GraphStore();
    store.load('GRAPH <urn:ex:g> { <urn:ex:a> <urn:ex:knows> <urn:ex:b> }', { syntax: 'trig', baseIri: 'urn:base:', source: 'test' });
    store.materializeUnionDefaultGraph();
    // A default graph that is not the union of the named graphs shows whether it was made again.
    store.update('DELETE DATA { <urn:ex:a> <urn:ex:knows> <urn:ex:b> } ; INSERT DATA { <urn:ex:only> <urn:ex:in> <urn:ex:default> }');
    const copy = loadWithUnion(store.dumpAll());
    expect(copy.ask('ASK { <urn:ex:a> <urn:ex:knows> <urn:ex:b> }')).toBe(false);
    expect(copy.size).toBe(2);
  });

  it('makes the union from the lines again: the same default graph as the INSERT, a triple of two graphs once', () => {
    const store = new GraphStore();
    // Past one 4 MB piece of the load, a triple in two graphs, and lines with blank nodes beside plain ones.
    const lines = [...bulkLines(60_000), '<urn:s1> <urn:p> "in two graphs" <urn:g1> .', '<urn:s1> <urn:p> "in two graphs" <urn:g2> .',
      '<urn:a> <urn:knows> _:someone <urn:g1> .', '_:someone <urn:name> "Someone" <urn:g2> .'];
    store.loadOwnDump(lines.join('\n'));
    const copy = loadWithUnion(store.dumpAll());
    store.materializeUnionDefaultGraph();
    expect(copy.size).toBe(store.size);
    expect(copy.size).toBe(60_004 + 60_003);
    expect(copy.select('SELECT ?o WHERE { <urn:s1> <urn:p> ?o }')).toHaveLength(2);
    expect(copy.select(`SELECT ?b WHERE { <urn:a> <urn:knows> ?b . ?b <urn:name> "Someone"
      GRAPH <urn:g1> { <urn:a> <urn:knows> ?b } GRAPH <urn:g2> { ?b <urn:name> "Someone" } }`)).toHaveLength(1);
  });

  it('reads a part again to make the union when told how to, once', () => {
    const store = new GraphStore();
    store.loadOwnDump('<urn:a> <urn:p> "one" <urn:g1> .\n<urn:a> <urn:p> "one" <urn:g2> .');
    const dump = store.dumpAll();
    const loader = new NQuadsLoader();
    let readAgain = 0;
    loader.add(dump.slice(), () => {
      readAgain++;
      return dump.slice();
    });
    expect(readAgain).toBe(0);
    const copy = loader.finishWithUnion();
    expect(readAgain).toBe(1);
    expect(copy.ask('ASK { <urn:a> <urn:p> "one" }')).toBe(true);
    expect(copy.size).toBe(3);
  });

  it('holds what one dump of everything holds, every line with a blank node (the union made by INSERT then)', () => {
    const store = new GraphStore();
    store.load(`@prefix ex: <urn:ex:> .
      GRAPH ex:g { ex:a ex:knows _:someone . _:someone ex:name "Someone" }`, { syntax: 'trig', baseIri: 'urn:base:', source: 'test' });
    const copy = copyThroughTwoDumps(store);
    expect(copy.size).toBe(store.size);
    expect(copy.select(`SELECT ?b WHERE {
      GRAPH <urn:ex:g> { <urn:ex:a> <urn:ex:knows> ?b . ?b <urn:ex:name> "Someone" }
      GRAPH <urn:ex:inferred> { ?b a <urn:ex:Person> }
      ?b a <urn:ex:Person> ; <urn:ex:name> "Someone" . <urn:ex:a> <urn:ex:knows> ?b }`)).toHaveLength(1);
  });
});

describe('dumps past the longest string a piece may be (a graph of millions of quads)', () => {
  // A store whose every dump is longer than 60 characters: the whole store, each graph and the
  // default graph are split, graph by graph and then predicate by predicate.
  // With `graph`, the two triples of the default graph are in that graph instead (a dataset as the
  // loader builds it, whose default graph is only ever the union).
  const split = (graph?: string) => {
    const store = new GraphStore({ maxPieceChars: 60 });
    const first = 'ex:a ex:name "Душанбе" ; ex:note "a literal with _: and . inside\\nand a line break" .';
    store.load(`@prefix ex: <urn:ex:> .
      ${graph ? `GRAPH <${graph}> { ${first} }` : first}
      GRAPH ex:g1 { ex:a ex:knows _:someone . _:someone ex:name "Someone" ; ex:age 42 . ex:b ex:name "b"@en }
      GRAPH ex:g2 { ex:b ex:knows _:someone . ex:b ex:name "b"@en ; ex:date "2021-09-15"^^<http://www.w3.org/2001/XMLSchema#date> }
      GRAPH _:unnamed { ex:c ex:name "in a graph named by a blank node" }`, { syntax: 'trig', baseIri: 'urn:base:', source: 'test' });
    return store;
  };
  const SAME_DATA = `PREFIX ex: <urn:ex:> ASK {
    ex:a ex:name "Душанбе" ; ex:note "a literal with _: and . inside\\nand a line break" .
    GRAPH ex:g1 { ex:a ex:knows ?someone . ?someone ex:name "Someone" ; ex:age 42 . ex:b ex:name "b"@en }
    GRAPH ex:g2 { ex:b ex:knows ?someone . ex:b ex:date "2021-09-15"^^<http://www.w3.org/2001/XMLSchema#date> }
    GRAPH ?unnamed { ex:c ex:name "in a graph named by a blank node" }
    FILTER(isBlank(?someone) && isBlank(?unnamed)) }`;

  it('copies every quad, literals, blank nodes shared between graphs and a graph named by a blank node included', () => {
    const original = split();
    expect(original.ask(SAME_DATA)).toBe(true);
    const copy = GraphStore.fromNQuads(original.dumpAll());
    expect(copy.size).toBe(original.size);
    expect(copy.ask(SAME_DATA)).toBe(true);
  });

  it('reads a graph\'s quads, and the named graphs\' quads, in pieces (what `kg push` sends)', () => {
    const original = split();
    const g1 = original.quads('urn:ex:g1');
    expect(g1).toHaveLength(4);
    expect(g1.every((quad) => quad.graph.value === 'urn:ex:g1')).toBe(true);
    const someone = g1.find((quad) => quad.predicate.value === 'urn:ex:knows')!.object;
    expect(original.quads('urn:ex:g2').some((quad) => quad.object.equals(someone))).toBe(true);
    expect(original.quads('').map((quad) => quad.predicate.value).sort()).toEqual(['urn:ex:name', 'urn:ex:note']);
    // Every quad but the default graph's two, each once.
    const named = original.quads();
    expect(named).toHaveLength(original.size - 2);
    expect(new Set(named.map((quad) => `${quad.subject.value} ${quad.predicate.value} ${quad.object.value} ${quad.graph.value}`)).size).toBe(named.length);
  });

  it('copies in two dumps, the derived graph split too, and the copy makes the union', () => {
    const original = split('urn:ex:g0');
    const copy = copyThroughTwoDumps(original);
    expect(copy.size).toBe(original.size);
    expect(copy.ask(SAME_DATA)).toBe(true);
    expect(copy.select(`SELECT ?b WHERE {
      GRAPH <urn:ex:inferred> { ?b a <urn:ex:Person> }
      ?b a <urn:ex:Person> ; <urn:ex:name> "Someone" . <urn:ex:a> <urn:ex:knows> ?b . <urn:ex:b> <urn:ex:knows> ?b }`)).toHaveLength(1);
  });
});
