// Generated and mutated requests against the live server (fast-check, fixed seed, bounded count):
// queries, paths, parameters, headers and bodies. Every answer is 2xx, 3xx or 4xx, or a deliberate
// 502/503/504 with a message; never a 500, never a hang; afterwards the server answers normally.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestServer, getQuery, type TestServer } from '../helpers/server.ts';
import { loadSavedQueries } from '../../src/dataset/saved-queries.ts';

const SEED = 20_261_127;
const REQUESTS = 3000;
const CONCURRENCY = 8;

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const savedQueries = loadSavedQueries('queries').map((query) => query.query);
const SPARQL_TOKENS = ['SELECT', 'ASK', 'CONSTRUCT', 'DESCRIBE', 'WHERE', '{', '}', '(', ')', '[', ']', '?s', '?p', '?o', '*', '.', ';', ',',
  'FILTER', 'OPTIONAL', 'UNION', 'GRAPH', 'SERVICE', 'SILENT', 'LIMIT', 'OFFSET', 'ORDER BY', 'GROUP BY', 'VALUES', 'BIND', 'AS', 'COUNT',
  '<http://127.0.0.1:7878/id/person/ruslan-kazakbaev>', '<urn:x>', '<', '>', '"text"', "'''long'''", '"\\u0041"', '42', '-1.5e3',
  'a', 'rdfs:label', 'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>', 'BASE <http://x/>', '#', '\n', 'INSERT DATA', 'LOAD', '\u0000', '\uFFFD', '💥'];
const PATHS = ['/sparql', '/', '/health', '/queries', '/queries/future-events', '/queries/nope', '/export', '/ns', '/ns.ttl', '/ns.html',
  '/.well-known/void', '/id/person/ruslan-kazakbaev', '/page/person/ruslan-kazakbaev', '/data/person/ruslan-kazakbaev.ttl',
  '/page/event/csto-joint-session-2021-09-15', '/ui/query-page.js', '/nothing'];
const PARAMETERS = ['query', 'update', 'default-graph-uri', 'named-graph-uri', 'format', 'source', 'using-graph-uri', 'x'];
const MEDIA = ['application/sparql-query', 'application/x-www-form-urlencoded', 'application/sparql-update', 'text/plain', 'application/json',
  'text/turtle', 'application/sparql-results+json', 'text/csv', 'application/rdf+xml', 'text/html', '*/*', 'application/*', 'nonsense', ''];

/** A saved query with characters inserted, deleted or replaced, or a soup of SPARQL tokens. */
const sparql = fc.oneof(
  fc.tuple(fc.constantFrom(...savedQueries), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 2 }), fc.string({ maxLength: 3 })), { maxLength: 6 }))
    .map(([query, edits]) => edits.reduce((text, [at, kind, piece]) => {
      const i = at % (text.length + 1);
      return kind === 0 ? text.slice(0, i) + piece + text.slice(i) : kind === 1 ? text.slice(0, i) + text.slice(i + 3) : text.slice(0, i) + piece + text.slice(i + piece.length);
    }, query)),
  fc.array(fc.constantFrom(...SPARQL_TOKENS), { maxLength: 40 }).map((tokens) => tokens.join(' ')),
  fc.nat({ max: 200 }).map((depth) => `SELECT * WHERE ${'{'.repeat(depth)} ?s ?p ?o ${'}'.repeat(depth)}`),
  fc.string({ maxLength: 200, unit: 'binary' }),
);

/** A value for any parameter: SPARQL, IRIs (good and bad), format names, random text. */
const value = fc.oneof(sparql, fc.constantFrom('json', 'xml', 'csv', 'tsv', 'ttl', 'nt', 'jsonld', 'rdfxml', 'trig', 'self', 'bogus',
  'http://127.0.0.1:7878/id/graph/ontology', 'http://x/%zz', 'sparql@http://127.0.0.1:1/sparql', 'http://[::1]/', 'urn:x'),
fc.string({ maxLength: 30, unit: 'binary' }));

const path = fc.oneof(
  fc.constantFrom(...PATHS),
  fc.tuple(fc.constantFrom('/id/', '/page/', '/data/', '/queries/', '/ns.', '/ui/', '/'), fc.string({ maxLength: 20, unit: 'binary' }))
    .map(([prefix, rest]) => prefix + encodeURIComponent(rest)),
  fc.tuple(fc.constantFrom('/id/', '/page/', '/data/', '/queries/'), fc.array(fc.constantFrom('%ff', '%E0%A4%A', '%00', '%20', '%3C', '..', '%2F', 'x', '%'), { maxLength: 5 }))
    .map(([prefix, parts]) => prefix + parts.join('')),
);

const printable = fc.string({ maxLength: 40, unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)) });

const request: fc.Arbitrary<FuzzRequest> = fc.record({
  method: fc.constantFrom('GET', 'GET', 'GET', 'POST', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'),
  path,
  parameters: fc.array(fc.tuple(fc.constantFrom(...PARAMETERS), value), { maxLength: 4 }),
  accept: fc.oneof(fc.constantFrom(...MEDIA), printable, fc.constant(undefined)),
  contentType: fc.oneof(fc.constantFrom(...MEDIA), fc.constantFrom(...MEDIA).map((m) => `${m}; charset=latin1`), printable),
  bodyKind: fc.constantFrom('none', 'query', 'form', 'raw'),
  body: sparql,
  bodyParameters: fc.array(fc.tuple(fc.constantFrom(...PARAMETERS), value), { maxLength: 3 }),
}).map((spec) => {
  const search = new URLSearchParams(spec.parameters).toString();
  const headers: Record<string, string> = {};
  if (spec.accept !== undefined) headers.accept = spec.accept;
  let body: string | undefined;
  if (spec.method !== 'GET' && spec.method !== 'HEAD' && spec.bodyKind !== 'none') {
    headers['content-type'] = spec.contentType;
    body = spec.bodyKind === 'form' ? new URLSearchParams(spec.bodyParameters).toString() : spec.body;
  }
  return { method: spec.method, path: `${spec.path}${search ? `?${search}` : ''}`, headers, ...(body !== undefined ? { body } : {}) };
});

const DELIBERATE_5XX = new Set([502, 503, 504]);

describe('fuzzing the live server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ queryTimeoutMs: 3000, logLevel: 'silent' });
  });
  afterAll(() => server.close());

  it(`answers ${REQUESTS} generated requests with 2xx-4xx or a deliberate 502/503/504, never a 500 or a hang`, async () => {
    const requests = fc.sample(request, { seed: SEED, numRuns: REQUESTS });
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const send = async (spec: FuzzRequest) => {
      let response: Response;
      try {
        response = await fetch(`${server.url}${spec.path}`, {
          method: spec.method, headers: spec.headers, ...(spec.body !== undefined ? { body: spec.body } : {}),
          redirect: 'manual', signal: AbortSignal.timeout(20_000),
        });
      } catch (error) {
        // The client itself refuses some generated requests (a header it cannot send): not the server's answer.
        if (error instanceof TypeError && !/fetch failed/.test(error.message)) return;
        failures.push(`${spec.method} ${spec.path}: no answer (${(error as Error).name}: ${(error as Error).message})`);
        return;
      }
      const text = await response.text();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status >= 500 && !DELIBERATE_5XX.has(response.status)) failures.push(`${spec.method} ${spec.path}: ${response.status} ${text.slice(0, 200)}`);
      if (response.status >= 400 && spec.method !== 'HEAD' && text.trim() === '') failures.push(`${spec.method} ${spec.path}: ${response.status} without a message`);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) await send(requests[next++]!);
    }));
    expect(failures).toEqual([]);
    // The generator reaches far: successes, client errors of several kinds, refusals.
    expect([...statuses.keys()].filter((status) => status < 300).length).toBeGreaterThan(0);
    expect([...statuses.keys()].filter((status) => status >= 400 && status < 500).length).toBeGreaterThanOrEqual(5);
  }, 240_000);

  it('answers normally afterwards, with its memory bounded', async () => {
    const response = await getQuery(server, 'SELECT ?name WHERE { ?p a <http://schema.org/Person> ; <http://www.w3.org/2000/01/rdf-schema#label> ?name }');
    expect(response.status).toBe(200);
    expect((await response.json()).results.bindings).toEqual([{ name: { type: 'literal', value: 'Ruslan Kazakbaev', 'xml:lang': 'en' } }]);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect(process.memoryUsage().rss).toBeLessThan(3 * 1024 * 1024 * 1024);
  });
});
