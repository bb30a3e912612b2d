// Real clients of the SPARQL 1.1 Protocol against a running server: Python SPARQLWrapper and
// rdflib, roqet (Rasqal), Comunica, and Virtuoso federating with SERVICE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryEngine } from '@comunica/query-sparql';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { PEERS, PYTHON, describeWithPeers, run, startVirtuoso, type Virtuoso } from '../helpers/peers.ts';

const BASE = 'http://127.0.0.1:7878/id/';
const COUNTRIES = ['Afghanistan', 'Armenia', 'Kyrgyzstan', 'Tajikistan'];

let server: TestServer;
let endpoint: string;
beforeAll(async () => {
  server = await startTestServer();
  endpoint = `${server.url}/sparql`;
});
afterAll(() => server.close());

function jsonLines(stdout: string): Record<string, unknown> {
  return Object.assign({}, ...stdout.trim().split('\n').map((line) => JSON.parse(line) as object));
}

describeWithPeers('Python SPARQLWrapper', [PEERS.sparqlWrapper], () => {
  it('gets JSON and XML results, ASK, CONSTRUCT as Turtle, and POST', async () => {
    const result = await run(PYTHON, ['tests/fixtures/clients/sparqlwrapper_client.py', endpoint]);
    expect(result.stderr).toBe('');
    expect(jsonLines(result.stdout)).toEqual({ json: COUNTRIES, xml: COUNTRIES, ask: true, construct: 5, post: '4' });
  });
});

describeWithPeers('Python rdflib', [PEERS.rdflib], () => {
  it('queries through SPARQLStore and through a SERVICE clause', async () => {
    const result = await run(PYTHON, ['tests/fixtures/clients/rdflib_client.py', endpoint]);
    expect(result.code, result.stderr).toBe(0);
    expect(jsonLines(result.stdout)).toEqual({
      store: [['Ruslan Kazakbaev', 'Minister of Foreign Affairs of the Kyrgyz Republic']],
      service: ['Dushanbe'],
    });
  });
});

describeWithPeers('roqet', [PEERS.roqet], () => {
  it('queries with every letter percent-encoded and reads the SPARQL XML answer', async () => {
    const result = await run('/usr/bin/roqet', ['-p', endpoint, '-e',
      'SELECT ?name WHERE { ?c a <http://schema.org/Country> ; <http://www.w3.org/2000/01/rdf-schema#label> ?name } ORDER BY ?name',
      '-r', 'csv']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split(/\r?\n/)).toEqual(['name', ...COUNTRIES]);
  });
});

describe('Comunica (@comunica/query-sparql) with the endpoint as a sparql source', () => {
  it('runs a join through the endpoint', async () => {
    const engine = new QueryEngine();
    const bindings = await engine.queryBindings(`
      SELECT ?name ?office WHERE {
        ?post <http://www.w3.org/ns/org#heldBy> ?person ; <http://www.w3.org/2000/01/rdf-schema#label> ?office .
        ?person <http://www.w3.org/2000/01/rdf-schema#label> ?name .
      }`, { sources: [{ type: 'sparql', value: endpoint }] });
    const rows = (await bindings.toArray()).map((row) => [row.get('name')?.value, row.get('office')?.value]);
    expect(rows).toEqual([['Ruslan Kazakbaev', 'Minister of Foreign Affairs of the Kyrgyz Republic']]);
  });
});

describeWithPeers('Virtuoso', [PEERS.virtuoso], () => {
  let virtuoso: Virtuoso;
  beforeAll(async () => {
    virtuoso = await startVirtuoso();
    await virtuoso.isql('GRANT SELECT ON DB.DBA.SPARQL_SINV_2 TO "SPARQL"');
    await virtuoso.isql('GRANT EXECUTE ON DB.DBA.SPARQL_SINV_IMP TO "SPARQL"');
    await virtuoso.isql(`SPARQL INSERT DATA { GRAPH <urn:virtuoso-local> {
      <${BASE}place/tajikistan> <http://example.org/capital> "Dushanbe" .
      <${BASE}place/armenia> <http://example.org/capital> "Yerevan" . } }`);
  }, 120_000);
  afterAll(() => virtuoso?.stop());

  it('joins its own data with ours through SERVICE (GET, SPARQL XML)', async () => {
    const query = `SELECT ?role ?capital WHERE {
      GRAPH <urn:virtuoso-local> { ?state <http://example.org/capital> ?capital }
      SERVICE <${endpoint}> {
        ?transfer ?chairRole ?state .
        ?chairRole <http://www.w3.org/2000/01/rdf-schema#label> ?role .
        ?transfer a <https://w3id.org/diplomacy-kg/ns#ChairmanshipTransfer> .
      }
    } ORDER BY ?role`;
    const ourRequests = () => server.logLines().filter((line) => line.path === '/sparql' && line.method === 'GET' && line.status === 200).length;
    const before = ourRequests();
    const response = await fetch(`${virtuoso.sparqlUrl}?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/sparql-results+json' } });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    const rows = (JSON.parse(text) as { results: { bindings: Array<Record<string, { value: string }>> } }).results.bindings
      .map((row) => [row.role!.value, row.capital!.value]);
    expect(rows).toEqual([['next chair', 'Yerevan'], ['previous chair', 'Dushanbe']]);
    expect(ourRequests()).toBeGreaterThan(before);
  }, 60_000);
});
