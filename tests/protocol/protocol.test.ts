// The SPARQL 1.1 Protocol query operation against a running server: methods, parameters,
// negotiation, errors, dataset selection, CORS, HEAD and the request log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, getQuery, type TestServer } from '../helpers/server.ts';

const BASE = 'http://127.0.0.1:7878/id/';
const COUNTRIES = 'SELECT ?c WHERE { ?c a <http://schema.org/Country> } ORDER BY ?c';
const UNITS = 'CONSTRUCT WHERE { ?s <http://www.w3.org/ns/org#unitOf> ?o }';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 4096, maxQueryLength: 2000 });
});
afterAll(() => server.close());

const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
// The body goes as bytes: fetch would add "text/plain" to a string body without a Content-Type.
const post = (body: string, contentType: string | undefined, path = '/sparql', headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    body: new TextEncoder().encode(body),
    headers: { ...(contentType ? { 'content-type': contentType } : {}), ...headers },
  });

describe('2.1 query operation', () => {
  it('2.1.1 answers a query via GET with SPARQL JSON by default', async () => {
    const response = await getQuery(server, COUNTRIES);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/sparql-results+json; charset=utf-8');
    expect(response.headers.get('vary')).toContain('Accept');
    const json = await response.json();
    expect(json.results.bindings.map((b: { c: { value: string } }) => b.c.value)).toEqual(
      ['afghanistan', 'armenia', 'kyrgyzstan', 'tajikistan'].map((c) => `${BASE}place/${c}`));
  });

  it('2.1.2 answers a query via URL-encoded POST', async () => {
    const response = await post(form({ query: 'ASK { ?x a <http://schema.org/Person> }' }), 'application/x-www-form-urlencoded');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ head: {}, boolean: true });
  });

  it('2.1.3 answers a query via POST directly', async () => {
    const response = await post('ASK { ?x a <http://schema.org/Elephant> }', 'application/sparql-query; charset=utf-8');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ head: {}, boolean: false });
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const response = await fetch(`${server.url}/sparql?query=${encodeURIComponent(COUNTRIES)}`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/sparql-results+json; charset=utf-8');
    expect(await response.text()).toBe('');
  });
});

describe('content negotiation', () => {
  it.each([
    ['application/sparql-results+xml', 'application/sparql-results+xml; charset=utf-8'],
    ['application/sparql-results+json', 'application/sparql-results+json; charset=utf-8'],
    ['text/csv', 'text/csv; charset=utf-8'],
    ['text/tab-separated-values', 'text/tab-separated-values; charset=utf-8'],
    ['application/json', 'application/sparql-results+json; charset=utf-8'],
    ['*/*', 'application/sparql-results+json; charset=utf-8'],
    ['text/csv;q=0.5, application/sparql-results+xml;q=0.9', 'application/sparql-results+xml; charset=utf-8'],
    ['image/png, text/tab-separated-values;q=0.1', 'text/tab-separated-values; charset=utf-8'],
  ])('SELECT with Accept %s gives %s', async (accept, contentType) => {
    const response = await getQuery(server, COUNTRIES, { accept });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(contentType);
  });

  it.each([
    [undefined, 'text/turtle; charset=utf-8'],
    ['application/n-triples', 'application/n-triples; charset=utf-8'],
    ['application/n-quads', 'application/n-quads; charset=utf-8'],
    ['application/trig', 'application/trig; charset=utf-8'],
    ['application/ld+json', 'application/ld+json; charset=utf-8'],
    ['application/rdf+xml', 'application/rdf+xml; charset=utf-8'],
    ['application/rdf+xml;q=0.2, text/turtle;q=0.8', 'text/turtle; charset=utf-8'],
  ])('CONSTRUCT with Accept %s gives %s', async (accept, contentType) => {
    const response = await getQuery(server, UNITS, accept ? { accept } : {});
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(contentType);
  });

  it.each([
    ['csv', COUNTRIES, 'text/csv; charset=utf-8'],
    ['xml', COUNTRIES, 'application/sparql-results+xml; charset=utf-8'],
    ['tsv', COUNTRIES, 'text/tab-separated-values; charset=utf-8'],
    ['ntriples', UNITS, 'application/n-triples; charset=utf-8'],
    ['json', UNITS, 'application/ld+json; charset=utf-8'],
  ])('the format=%s parameter wins over Accept', async (format, query, contentType) => {
    const response = await getQuery(server, query, { accept: 'application/sparql-results+json, text/turtle' }, `&format=${format}`);
    expect(response.headers.get('content-type')).toBe(contentType);
  });

  it('answers 406 naming what is available when nothing acceptable exists', async () => {
    const response = await getQuery(server, COUNTRIES, { accept: 'image/png' });
    expect(response.status).toBe(406);
    expect(await response.text()).toBe('none of the accepted media types (image/png) is available; this resource is served as application/sparql-results+json, application/sparql-results+xml, text/csv, text/tab-separated-values\n');
  });

  it('answers 400 to an unknown format parameter', async () => {
    const response = await getQuery(server, COUNTRIES, {}, '&format=yaml');
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('unknown format "yaml"; use one of json, xml, csv, tsv\n');
  });
});

describe('errors', () => {
  it('answers 400 with the parser\'s message to a syntax error', async () => {
    const response = await getQuery(server, 'SELECT ?x WHERE { ?x ?p }');
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^SPARQL syntax error: error at 1:2\d: .+\n$/);
  });

  it('answers 400 when the query parameter is given twice', async () => {
    const response = await fetch(`${server.url}/sparql?query=ASK%7B%7D&query=ASK%7B%7D`);
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('the query parameter must be given exactly once, not 2 times\n');
  });

  it('answers 400 when the query is both in the URL and the body', async () => {
    const response = await post('ASK {}', 'application/sparql-query', '/sparql?query=ASK%7B%7D');
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('the query is in the request body; do not also give a query parameter in the URL\n');
  });

  it.each([
    [undefined, 'a POST to /sparql needs Content-Type application/x-www-form-urlencoded, application/sparql-query or application/sparql-update, not no Content-Type\n'],
    ['text/plain', 'a POST to /sparql needs Content-Type application/x-www-form-urlencoded, application/sparql-query or application/sparql-update, not Content-Type text/plain\n'],
    ['application/sparql-query; charset=UTF-16', 'charset UTF-16 is not supported: send the request in UTF-8\n'],
  ])('answers 415 to a POST with Content-Type %s', async (contentType, message) => {
    const response = await post('ASK {}', contentType);
    expect(response.status).toBe(415);
    expect(await response.text()).toBe(message);
  });

  it('answers 400 to an update sent as a query', async () => {
    const response = await getQuery(server, 'INSERT DATA { <urn:a> <urn:b> <urn:c> }');
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('this is a SPARQL Update, not a query: send it as update= in a form body or with Content-Type application/sparql-update\n');
  });

  it.each([
    ['a form update', form({ update: 'CLEAR ALL' }), 'application/x-www-form-urlencoded'],
    ['a direct update', 'CLEAR ALL', 'application/sparql-update'],
  ])('answers 403 to %s: no write token is configured', async (_name, body, contentType) => {
    const response = await post(body, contentType);
    expect(response.status).toBe(403);
    expect(await response.text()).toBe('writes are disabled on this server: set KG_WRITE_TOKEN (or KG_WRITE_TOKENS_FILE) to turn them on\n');
  });

  it('answers 400 to an update sent with GET', async () => {
    const response = await fetch(`${server.url}/sparql?update=${encodeURIComponent('CLEAR ALL')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^a SPARQL Update is sent with POST/);
  });

  it('answers 405 with Allow to other methods', async () => {
    const response = await fetch(`${server.url}/sparql?query=ASK%7B%7D`, { method: 'PUT' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    expect(await response.text()).toBe('PUT is not supported on /sparql; use GET or POST (SPARQL 1.1 Protocol §2.1)\n');
  });

  it('answers 413 to a body over the limit', async () => {
    const response = await post(`ASK { ${'?s ?p ?o . '.repeat(500)} }`, 'application/sparql-query');
    expect(response.status).toBe(413);
    expect(await response.text()).toBe('the request body is larger than the limit of 4096 bytes (KG_MAX_BODY_BYTES)\n');
  });

  it('answers 413 to a query over the length limit', async () => {
    const response = await getQuery(server, `ASK { ${'?s ?p ?o . '.repeat(250)} }`);
    expect(response.status).toBe(413);
    expect(await response.text()).toBe('the query is 2758 characters long; the limit is 2000 (KG_MAX_QUERY_LENGTH)\n');
  });

  it('answers 400 to a dataset parameter that is not an IRI', async () => {
    const response = await getQuery(server, COUNTRIES, {}, '&default-graph-uri=not%20an%20iri');
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('default-graph-uri and named-graph-uri must be absolute IRIs, not "not an iri": it has no scheme (such as http:)\n');
  });

  it('answers 404 to unknown paths', async () => {
    const response = await fetch(`${server.url}/nothing/here`);
    expect(response.status).toBe(404);
  });
});

describe('2.1.4 dataset selection', () => {
  const s15 = `${BASE}graph/csto-joint-session-2021-09-15/s15`;

  it('makes default-graph-uri the default graph', async () => {
    const response = await getQuery(server, COUNTRIES, {}, `&default-graph-uri=${encodeURIComponent(s15)}`);
    const json = await response.json();
    expect(json.results.bindings.map((b: { c: { value: string } }) => b.c.value)).toEqual([`${BASE}place/armenia`, `${BASE}place/tajikistan`]);
  });

  it('offers only the graphs given by named-graph-uri to GRAPH', async () => {
    const query = 'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }';
    const response = await post(form({ query, 'named-graph-uri': s15 }), 'application/x-www-form-urlencoded');
    expect((await response.json()).results.bindings).toEqual([{ g: { type: 'uri', value: s15 } }]);
  });

  it('treats a graph name the store does not hold as an empty graph, fetching nothing', async () => {
    const response = await getQuery(server, 'ASK { ?s ?p ?o }', {}, `&default-graph-uri=${encodeURIComponent('http://example.org/remote.rdf')}`);
    expect(await response.json()).toEqual({ head: {}, boolean: false });
  });
});

describe('CORS', () => {
  it('allows any origin on query responses', async () => {
    const response = await getQuery(server, 'ASK {}', { origin: 'https://elsewhere.example' });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers a preflight request', async () => {
    const response = await fetch(`${server.url}/sparql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, HEAD, PUT, POST, DELETE, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type');
  });
});

describe('health and logs', () => {
  it('answers /health when ready', async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
  });

  it('logs one JSON line per request with method, path, status, duration and query hash, never the query', async () => {
    const marker = 'SELECT ?secretMarker WHERE { ?secretMarker a <http://schema.org/City> }';
    await (await getQuery(server, marker)).text();
    const lines = server.logLines().filter((line) => line.msg === 'request' && line.queryHash);
    const line = lines.at(-1)!;
    expect(line).toMatchObject({ method: 'GET', path: '/sparql', status: 200 });
    expect(typeof line.ms).toBe('number');
    expect(line.queryHash).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(server.logLines())).not.toContain('secretMarker');
  });
});

describe('base IRI of queries', () => {
  it('resolves relative IRIs in a query against the data\'s base IRI', async () => {
    const response = await getQuery(server, 'SELECT ?name WHERE { <person/ruslan-kazakbaev> <http://www.w3.org/2000/01/rdf-schema#label> ?name }');
    expect((await response.json()).results.bindings).toEqual([{ name: { type: 'literal', value: 'Ruslan Kazakbaev', 'xml:lang': 'en' } }]);
  });
});
