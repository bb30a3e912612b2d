// Our server over a remote SPARQL store (Virtuoso, started here): replicas sharing one store,
// `kg push` and KG_STORE_LOAD, the store's differences hidden, and a slow, failing or missing
// store turned into clear answers, never a hang.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { PEERS, describeWithPeers, startVirtuoso, type Virtuoso } from '../helpers/peers.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { runKg } from '../helpers/cli.ts';
import { spawnServer } from '../helpers/child-server.ts';
import { auth, askQuery, countRows, postUpdate, TOKEN } from '../helpers/writes.ts';

const BASE = 'http://127.0.0.1:7878/id/';
const KAZAKBAEV = `${BASE}person/ruslan-kazakbaev`;

function storeEnv(virtuoso: Virtuoso): NodeJS.ProcessEnv {
  return {
    KG_STORE: 'sparql',
    KG_STORE_QUERY_URL: virtuoso.sparqlUrl.replace(/\/sparql$/, '/sparql-auth'),
    KG_STORE_USER: 'dba',
    KG_STORE_PASSWORD: 'dba',
  };
}

async function csv(url: string, query: string): Promise<string> {
  const response = await fetch(`${url}/sparql?query=${encodeURIComponent(query)}`, { headers: { accept: 'text/csv' } });
  expect(response.status, await response.clone().text()).toBe(200);
  return response.text();
}

describeWithPeers('over one Virtuoso', [PEERS.virtuoso], () => {
  let virtuoso: Virtuoso;
  let replicaA: TestServer;
  let replicaB: TestServer;
  let embedded: TestServer;

  beforeAll(async () => {
    virtuoso = await startVirtuoso({ maxRows: 1_000_000 });
    const pushed = await runKg(['push'], storeEnv(virtuoso));
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stderr).toMatch(/^push: done in [\d.]+ s, \d+ quads in \d+ graphs and the union/m);
    const env = storeEnv(virtuoso);
    const store = {
      store: 'sparql' as const, storeQueryUrl: env.KG_STORE_QUERY_URL!, storeUser: 'dba', storePassword: 'dba', writeToken: TOKEN,
    };
    [replicaA, replicaB, embedded] = await Promise.all([startTestServer(store), startTestServer(store), startTestServer({ store: 'embedded' })]);
  });

  afterAll(async () => {
    await Promise.all([replicaA?.close(), replicaB?.close(), embedded?.close()]);
    await virtuoso?.stop();
  });

  it('answers as the embedded engine does, hiding what Virtuoso does differently', async () => {
    const queries = [
      // Counts over the union default graph: a set, without Virtuoso's own graphs.
      'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }',
      // Named graphs: ours only (not graph/union, graph/registry, or virtrdf#).
      'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g',
      // Booleans as the data wrote them (Virtuoso keeps 0 and 1).
      'SELECT ?o WHERE { ?s <https://w3id.org/diplomacy-kg/ns#listIsComplete> ?o }',
    ];
    for (const query of queries) expect(await csv(replicaA.url, query), query).toBe(await csv(embedded.url, query));
    const ask = await fetch(`${replicaA.url}/sparql?query=${encodeURIComponent(`ASK { <${KAZAKBAEV}> ?p ?o }`)}`, { headers: { accept: 'application/sparql-results+json' } });
    expect(await ask.json()).toEqual({ head: {}, boolean: true });
    const blank = await fetch(`${replicaA.url}/sparql?query=${encodeURIComponent('SELECT ?node WHERE { GRAPH ?g { ?shape <http://www.w3.org/ns/shacl#property> ?node } } LIMIT 1')}`, { headers: { accept: 'application/sparql-results+json' } });
    const node = ((await blank.json()) as { results: { bindings: Array<{ node: { type: string; value: string } }> } }).results.bindings[0]!.node;
    expect(node.type).toBe('bnode');
    expect(node.value).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('counts the service description and VoID from the store', async () => {
    const turtle = await (await fetch(`${replicaA.url}/.well-known/void`, { headers: { accept: 'application/n-triples' } })).text();
    const embeddedTurtle = await (await fetch(`${embedded.url}/.well-known/void`, { headers: { accept: 'application/n-triples' } })).text();
    const triples = (text: string) => /<http:\/\/rdfs\.org\/ns\/void#triples> "(\d+)"/.exec(text)?.[1];
    expect(triples(turtle)).toBeDefined();
    expect(triples(turtle)).toBe(triples(embeddedTurtle));
  });

  it('reads through replica B what was written through replica A, at once', async () => {
    const label = `Consultations ${Date.now()}`;
    const write = await postUpdate(replicaA.url, `INSERT DATA { GRAPH <${BASE}graph/replicas> {
      <${BASE}organization/replica-test> a <https://w3id.org/diplomacy-kg/ns#Ministry> ; <http://www.w3.org/2000/01/rdf-schema#label> "${label}"@en } }`);
    expect(write.status, await write.text()).toBe(204);
    expect(await csv(replicaB.url, `SELECT ?label WHERE { <${BASE}organization/replica-test> <http://www.w3.org/2000/01/rdf-schema#label> ?label }`))
      .toBe(`label\r\n${label}\r\n`);
    // The closure and the provenance were written with it: B sees the superclass and the author.
    expect(await askQuery(replicaB.url, `ASK { GRAPH <${BASE}graph/inferred> { <${BASE}organization/replica-test> a <http://schema.org/GovernmentOrganization> } }`)).toBe(true);
    expect(await askQuery(replicaB.url, `ASK { GRAPH <${BASE}graph/provenance> { <${BASE}graph/replicas> <http://www.w3.org/ns/prov#wasAttributedTo> <${BASE}agent/writer> } }`)).toBe(true);
    // And back: a Graph Store Protocol DELETE through B is seen through A.
    const deleted = await fetch(`${replicaB.url}/store?graph=${encodeURIComponent(`${BASE}graph/replicas`)}`, { method: 'DELETE', headers: auth() });
    expect(deleted.status).toBe(204);
    expect(await countRows(replicaA.url, `SELECT * WHERE { <${BASE}organization/replica-test> ?p ?o }`)).toBe(0);
  });

  it('refuses through a replica a write that breaks the shapes, and the store keeps none of it', async () => {
    const write = await postUpdate(replicaA.url, `INSERT DATA { GRAPH <${BASE}graph/broken> { <${BASE}person/nobody> a <http://schema.org/Person> } }`);
    expect(write.status).toBe(422);
    expect(await write.text()).toContain(`<${BASE}person/nobody>`);
    expect(await askQuery(replicaB.url, `ASK { <${BASE}person/nobody> ?p ?o }`)).toBe(false);
  });

  it('has no change feed of its own: 404 saying where the changes are', async () => {
    const response = await fetch(`${replicaA.url}/changes`, { headers: auth() });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('KG_STORE=sparql');
  });

  it('pushes the data when started with KG_STORE_LOAD=1, and ends with a message when the store is out of reach', async () => {
    const fresh = await startVirtuoso({ maxRows: 1_000_000 });
    try {
      const child = await spawnServer([], { ...storeEnv(fresh), KG_STORE_LOAD: '1' });
      try {
        await child.waitForLog((line) => line.msg === 'data pushed into the store (KG_STORE_LOAD)');
        expect(await csv(child.url, 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }')).toBe(await csv(embedded.url, 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'));
      } finally {
        child.process.kill('SIGTERM');
        await child.exited;
      }
    } finally {
      await fresh.stop();
    }
    const unreachable = await runKg(['serve', '--port', '0'], { KG_STORE: 'sparql', KG_STORE_QUERY_URL: 'http://127.0.0.1:9/sparql' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/cannot use the store at http:\/\/127\.0\.0\.1:9\/sparql \(KG_STORE_QUERY_URL\): .*cannot be reached/);
  });
});

describe('a store that is slow or fails', () => {
  let fake: Server;
  let fakeUrl: string;
  let server: TestServer;
  /** What the fake store does with a query that is not the start-up probe. */
  let behaviour: 'hang' | 'fail' | 'deadlock once' | 'empty' = 'hang';
  const aborted: string[] = [];

  beforeAll(async () => {
    fake = createServer((request, response) => void answer(request, response));
    const answer = async (request: IncomingMessage, response: import('node:http').ServerResponse) => {
      let body = '';
      for await (const chunk of request) body += String(chunk);
      const query = new URLSearchParams(body).get('query') ?? '';
      if (/COUNT\(\?g\)|COUNT\(\*\)|COUNT\(DISTINCT|GROUP BY/.test(query)) {
        response.writeHead(200, { 'content-type': 'application/sparql-results+json' });
        response.end(JSON.stringify({ head: { vars: ['n'] }, results: { bindings: [] } }));
        return;
      }
      if (behaviour === 'fail') {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end('Virtuoso 42000 Error: out of something');
        return;
      }
      if (behaviour === 'deadlock once') {
        behaviour = 'empty';
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end('Virtuoso 40001 Error SR172: Transaction deadlocked');
        return;
      }
      if (behaviour === 'empty') {
        response.writeHead(200, { 'content-type': 'application/sparql-results+json' });
        response.end(JSON.stringify({ head: { vars: ['s', 'p', 'o'] }, results: { bindings: [] } }));
        return;
      }
      request.socket.on('close', () => aborted.push(query));
    };
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/sparql`;
    server = await startTestServer({ store: 'sparql', storeQueryUrl: fakeUrl, queryTimeoutMs: 1500 });
  });

  afterAll(async () => {
    await server?.close();
    fake.closeAllConnections();
    await new Promise((resolve) => fake.close(resolve));
  });

  it('cancels a query the store does not answer at KG_QUERY_TIMEOUT_MS: 504, and the store request is aborted', async () => {
    behaviour = 'hang';
    const started = Date.now();
    const response = await fetch(`${server.url}/sparql?query=${encodeURIComponent('SELECT * WHERE { ?s ?p ?o }')}`);
    expect(response.status).toBe(504);
    expect(await response.text()).toMatch(/^the store did not answer within 1500 ms; the request was cancelled/);
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect.poll(() => aborted.some((query) => query.includes('?s ?p ?o'))).toBe(true);
  });

  it('answers 502 with what the store said when it fails', async () => {
    behaviour = 'fail';
    const response = await fetch(`${server.url}/sparql?query=${encodeURIComponent('SELECT * WHERE { ?s ?p ?o }')}`);
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(text).toContain('out of something');
    // Clients learn what went wrong, not where the store is.
    expect(text).not.toContain(fakeUrl.replace('/sparql', ''));
  });

  it('sends a query again when the store gave it up as deadlocked (SQLSTATE 40001)', async () => {
    behaviour = 'deadlock once';
    const response = await fetch(`${server.url}/sparql?query=${encodeURIComponent('SELECT * WHERE { ?s ?p ?o }')}`, { headers: { accept: 'application/sparql-results+json' } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { results: { bindings: unknown[] } }).results.bindings).toEqual([]);
    expect(behaviour).toBe('empty');
  });

  it('refuses a bad query itself, with the same message as embedded, before asking the store', async () => {
    const response = await fetch(`${server.url}/sparql?query=${encodeURIComponent('SELECT * WHERE { ?s ?p }')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^SPARQL syntax error/);
  });
});

describe('configuration of the store', () => {
  it('says what is missing or wrong', () => {
    expect(() => loadConfig({ KG_STORE: 'sparql' })).toThrow(/KG_STORE=sparql needs KG_STORE_QUERY_URL/);
    expect(() => loadConfig({ KG_STORE: 'virtuoso' })).toThrow(/KG_STORE must be "embedded" or "sparql"/);
    expect(() => loadConfig({ KG_STORE: 'sparql', KG_STORE_QUERY_URL: 'ftp://x/sparql' })).toThrow(/KG_STORE_QUERY_URL must be an http/);
    expect(() => loadConfig({ KG_STORE: 'sparql', KG_STORE_QUERY_URL: 'http://x/sparql', KG_STORE_USER: 'dba' })).toThrow(/go together/);
    expect(() => loadConfig({ KG_STORE_LOAD: '1' })).toThrow(/needs KG_STORE=sparql/);
    expect(loadConfig({ KG_STORE: 'sparql', KG_STORE_QUERY_URL: 'http://x/sparql' }).storeUpdateUrl).toBe('http://x/sparql');
  });
});
