import { describe, expect, it } from 'vitest';
import { SOLUTION_MARKER, boundedQuery } from '../../src/engine/result-limits.ts';
import { GraphStore } from '../../src/engine/rdf/graph-store.ts';

const MAX = 3;
const tooMany = () => new Error('too many');

/** Four people, two of them ministers with a friend each. */
function storeOfPeople(): GraphStore {
  const store = new GraphStore();
  store.load(`@prefix ex: <urn:ex:> .
    ex:a a ex:Person, ex:Minister ; ex:knows [ ex:name "one" ] .
    ex:b a ex:Person, ex:Minister ; ex:knows [ ex:name "two" ] .
    ex:c a ex:Person . ex:d a ex:Person .`, { syntax: 'turtle', baseIri: 'urn:base:', source: 'test' });
  return store;
}

/** Runs `query` as the query worker does within a limit of MAX solutions, marked. */
function runMarked(store: GraphStore, query: string): string[] {
  const { marked } = boundedQuery(query, { maxResultRows: MAX, maxResultBytes: 1e6 });
  expect(marked).toBeDefined();
  return store.serializeGraph(marked!, 'ntriples', {}, MAX, tooMany, SOLUTION_MARKER).trim().split('\n').filter(Boolean).sort();
}

function runAsWritten(store: GraphStore, query: string): string[] {
  return store.serializeGraph(query, 'ntriples', {}, 1000, tooMany).trim().split('\n').filter(Boolean).sort();
}

describe('a CONSTRUCT WHERE within the row limit counts its own solutions (no probe after it)', () => {
  it('gives the triples of the query as written', () => {
    const store = storeOfPeople();
    const query = 'CONSTRUCT WHERE { ?p <urn:ex:knows> ?f . ?f <urn:ex:name> "one" }';
    const triples = runMarked(store, query);
    expect(triples).toHaveLength(2);
    expect(triples).toEqual(runAsWritten(store, query));
  });

  it('makes fresh blank nodes for the blank nodes of its pattern, as the short form does', () => {
    const store = storeOfPeople();
    const triples = runMarked(store, 'CONSTRUCT WHERE { ?p <urn:ex:knows> [] }');
    expect(triples).toHaveLength(2);
    expect(triples.every((line) => / <urn:ex:knows> _:\S+ \.$/.test(line))).toBe(true);
    const objects = triples.map((line) => line.split(' ')[2]);
    const friends = store.select('SELECT ?f WHERE { ?p <urn:ex:knows> ?f }').map((row) => `_:${row.f!.value}`);
    expect(objects.some((object) => friends.includes(object!))).toBe(false);
  });

  it('refuses more solutions than allowed, even when they build fewer triples', () => {
    const store = storeOfPeople();
    expect(() => runMarked(store, 'CONSTRUCT WHERE { ?p a <urn:ex:Person> }')).toThrow('too many');
    // Two ministers twice over: four solutions, yet only two triples.
    const pairs = 'CONSTRUCT WHERE { ?p a <urn:ex:Minister> . ?q a <urn:ex:Minister> }';
    expect(runAsWritten(store, pairs)).toHaveLength(2);
    expect(() => runMarked(store, pairs)).toThrow('too many');
  });
});
