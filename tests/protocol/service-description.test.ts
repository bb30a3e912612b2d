// GET /sparql without a query describes the service; /.well-known/void describes the dataset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from 'n3';
import type { Term } from '@rdfjs/types';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { parseRdf } from '../helpers/rdf.ts';
import { PREFIXES } from '../../src/core/namespaces.ts';

const sd = (local: string) => `${PREFIXES.sd}${local}`;
const voidTerm = (local: string) => `${PREFIXES.void}${local}`;
const RDF_TYPE = `${PREFIXES.rdf}type`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function fetchGraph(path: string, accept?: string): Promise<Store> {
  const response = await fetch(`${server.url}${path}`, accept ? { headers: { accept } } : {});
  expect(response.status).toBe(200);
  return new Store(await parseRdf(await response.text(), response.headers.get('content-type')!, server.url));
}

const objects = (store: Store, subject: string | Term | null, predicate: string) =>
  store.getObjects(subject, predicate, null).map((term) => term.value);

describe('service description (GET /sparql without a query)', () => {
  it('is Turtle by default and names the endpoint, language, formats and union default graph', async () => {
    const response = await fetch(`${server.url}/sparql`);
    expect(response.headers.get('content-type')).toBe('text/turtle; charset=utf-8');
    const store = new Store(await parseRdf(await response.text(), 'text/turtle'));
    const [service] = store.getSubjects(RDF_TYPE, sd('Service'), null);
    expect(service).toBeDefined();
    expect(objects(store, service!.value, sd('endpoint'))).toEqual([`${server.url}/sparql`]);
    expect(objects(store, service!.value, sd('supportedLanguage'))).toEqual([sd('SPARQL11Query')]);
    expect(objects(store, service!.value, sd('feature'))).toContain(sd('UnionDefaultGraph'));
    const formats = objects(store, service!.value, sd('resultFormat'));
    for (const format of ['SPARQL_Results_JSON', 'SPARQL_Results_XML', 'SPARQL_Results_CSV', 'SPARQL_Results_TSV', 'Turtle', 'N-Triples', 'JSON-LD', 'RDF_XML', 'TriG', 'N-Quads']) {
      expect(formats).toContain(`http://www.w3.org/ns/formats/${format}`);
    }
    expect(objects(store, service!.value, `${PREFIXES.rdfs}seeAlso`)).toEqual([`${server.url}/.well-known/void`]);
  });

  it('describes the default dataset: the default graph and every named graph with its size', async () => {
    const store = await fetchGraph('/sparql');
    const [dataset] = objects(store, null, sd('defaultDataset'));
    expect(dataset).toBe(`${server.url}/.well-known/void#dataset`);
    const namedGraphs = store.getObjects(dataset!, sd('namedGraph'), null);
    expect(namedGraphs).toHaveLength(21);
    const names = namedGraphs.flatMap((node) => objects(store, node, sd('name')));
    expect(names).toContain('http://127.0.0.1:7878/id/graph/csto-joint-session-2021-09-15/s01');
  });

  it.each(['application/ld+json', 'application/rdf+xml', 'application/n-triples'])('is served as %s too', async (accept) => {
    const store = await fetchGraph('/sparql', accept);
    expect(store.getSubjects(RDF_TYPE, sd('Service'), null)).toHaveLength(1);
  });
});

describe('VoID description (/.well-known/void)', () => {
  it('counts triples, entities, classes and properties, as the endpoint answers them', async () => {
    const store = await fetchGraph('/.well-known/void');
    const dataset = `${server.url}/.well-known/void#dataset`;
    const count = (predicate: string) => Number(objects(store, dataset, voidTerm(predicate))[0]);
    const query = async (sparql: string) => {
      const response = await fetch(`${server.url}/sparql?query=${encodeURIComponent(sparql)}`);
      return Number((await response.json()).results.bindings[0].n.value);
    };
    expect(count('triples')).toBe(await query('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'));
    expect(count('classes')).toBe(await query('SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }'));
    expect(count('properties')).toBe(await query('SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }'));
    const base = 'http://127.0.0.1:7878/id/';
    expect(count('entities')).toBe(await query(`SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER STRSTARTS(STR(?s), "${base}") }`));
    expect(count('entities')).toBeGreaterThan(80);
    expect(objects(store, dataset, voidTerm('sparqlEndpoint'))).toEqual([`${server.url}/sparql`]);
    expect(objects(store, dataset, voidTerm('uriSpace'))).toEqual(['http://127.0.0.1:7878/id/']);
  });

  it('declares the owl:sameAs linkset to Wikidata with its size', async () => {
    const store = await fetchGraph('/.well-known/void');
    const [linkset] = store.getSubjects(RDF_TYPE, voidTerm('Linkset'), null);
    expect(objects(store, linkset!, voidTerm('linkPredicate'))).toEqual([`${PREFIXES.owl}sameAs`]);
    expect(objects(store, linkset!, voidTerm('target'))).toContain('https://www.wikidata.org/');
    expect(objects(store, linkset!, voidTerm('triples'))).toEqual(['12']);
  });

  it('has a class partition for schema:Event', async () => {
    const store = await fetchGraph('/.well-known/void', 'text/turtle');
    const partitions = store.getObjects(`${server.url}/.well-known/void#dataset`, voidTerm('classPartition'), null);
    const event = partitions.find((p) => objects(store, p, voidTerm('class'))[0] === 'http://schema.org/Event');
    expect(objects(store, event!, voidTerm('entities'))).toEqual(['4']);
  });
});
