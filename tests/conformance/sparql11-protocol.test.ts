// The W3C SPARQL 1.1 Protocol test suite (tests/fixtures/conformance, from w3c/rdf-tests), run
// against a live server loaded with the suite's graph data; one test per case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startTestServer, type TestServer } from '../helpers/server.ts';

interface ProtocolRequest {
  method: string;
  absolutePath: string;
  headers?: Record<string, string>;
  body?: { chars: string; encoding: string };
  expected: { status: string[]; format?: string; boolean?: string; contentType?: string };
}
interface ProtocolTest { id: string; name: string; requests: ProtocolRequest[] }

const suite = JSON.parse(readFileSync('tests/fixtures/conformance/sparql11-protocol-tests.json', 'utf8')) as { tests: ProtocolTest[] };

/** The update cases: run against a server with a write token, which each request carries. */
const UPDATE_CASES = new Set(['update_dataset_default_graph', 'update_dataset_default_graphs', 'update_dataset_named_graphs',
  'update_dataset_full', 'update_post_form', 'update_post_direct', 'update_base_uri']);
const TOKEN = 'conformance-write-token';

function isUpdate(request: ProtocolRequest): boolean {
  const type = request.headers?.['content-type'] ?? '';
  return type.startsWith('application/sparql-update') || (type.startsWith('application/x-www-form-urlencoded') && /(^|&)update=/.test(request.body?.chars ?? ''));
}

const FORMAT_TYPES: Record<string, string[]> = {
  boolean: ['application/sparql-results+xml', 'application/sparql-results+json'],
  tabular: ['application/sparql-results+xml', 'application/sparql-results+json', 'text/csv', 'text/tab-separated-values'],
  RDF: ['application/rdf+xml', 'text/turtle', 'application/n-triples'],
};

let server: TestServer;
let writable: TestServer;
beforeAll(async () => {
  [server, writable] = await Promise.all([
    startTestServer({ dataDir: 'tests/fixtures/protocol-data' }),
    startTestServer({ dataDir: 'tests/fixtures/protocol-data', writeToken: TOKEN }),
  ]);
});
afterAll(() => Promise.all([server.close(), writable.close()]));

async function send(request: ProtocolRequest, to: TestServer = server, headers: Record<string, string> = {}): Promise<Response> {
  const path = request.absolutePath.replace(/^\/sparql\/?/, '/sparql');
  const body = request.body
    ? (/utf-?16/i.test(request.body.encoding) ? Buffer.from(request.body.chars, 'utf16le') : Buffer.from(request.body.chars, 'utf8'))
    : undefined;
  return fetch(`${to.url}${path}`, { method: request.method, headers: { ...request.headers, ...headers }, ...(body ? { body } : {}) });
}

function booleanOf(text: string, contentType: string): boolean {
  if (contentType.includes('json')) return (JSON.parse(text) as { boolean: boolean }).boolean;
  const match = /<boolean>\s*(true|false)\s*<\/boolean>/.exec(text);
  if (!match) throw new Error(`no boolean in ${text}`);
  return match[1] === 'true';
}

describe('W3C SPARQL 1.1 Protocol tests', () => {
  it('has all 34 cases of the suite', () => {
    expect(suite.tests).toHaveLength(34);
  });

  for (const test of suite.tests.filter((t) => UPDATE_CASES.has(t.id))) {
    it(`${test.id}: ${test.name} (with a write token)`, async () => {
      expect(test.requests.some(isUpdate)).toBe(true);
      for (const request of test.requests) {
        const response = await send(request, writable, isUpdate(request) ? { authorization: `Bearer ${TOKEN}` } : {});
        const text = await response.text();
        expect(request.expected.status, `status ${response.status}: ${text}`).toContain(`${String(response.status)[0]}xx`);
        if (isUpdate(request)) expect(response.status).toBe(204);
        if (request.expected.boolean) expect(booleanOf(text, response.headers.get('content-type') ?? ''), text).toBe(request.expected.boolean === 'true');
      }
    });
  }

  it('refuses every update case without a token on a server without one: 403 naming the setting, the store unchanged', async () => {
    const before = await (await fetch(`${server.url}/sparql?query=${encodeURIComponent('SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }')}`)).text();
    for (const test of suite.tests.filter((t) => UPDATE_CASES.has(t.id))) {
      for (const request of test.requests.filter(isUpdate)) {
        const response = await send(request);
        expect(response.status).toBe(403);
        expect(await response.text()).toMatch(/writes are disabled on this server: set KG_WRITE_TOKEN/);
      }
    }
    const after = await (await fetch(`${server.url}/sparql?query=${encodeURIComponent('SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }')}`)).text();
    expect(after).toBe(before);
  });

  for (const test of suite.tests.filter((t) => !UPDATE_CASES.has(t.id))) {
    it(`${test.id}: ${test.name}`, async () => {
      for (const request of test.requests) {
        const response = await send(request);
        const text = await response.text();
        const statusClass = `${String(response.status)[0]}xx`;
        expect(request.expected.status, `status ${response.status}: ${text}`).toContain(statusClass);
        const contentType = response.headers.get('content-type') ?? '';
        const allowed = request.expected.format ? FORMAT_TYPES[request.expected.format] : undefined;
        if (allowed) expect(allowed).toContain(contentType.split(';')[0]);
        if (request.expected.boolean) expect(booleanOf(text, contentType)).toBe(request.expected.boolean === 'true');
      }
    });
  }
});
