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

/** Cases we do not run, each with the reason. */
const SKIPPED: Record<string, string> = Object.fromEntries(
  ['update_dataset_default_graph', 'update_dataset_default_graphs', 'update_dataset_named_graphs', 'update_dataset_full', 'update_post_form', 'update_post_direct', 'update_base_uri']
    .map((id) => [id, 'SPARQL Update is disabled: the endpoint is read-only (it answers 403)']),
);

const FORMAT_TYPES: Record<string, string[]> = {
  boolean: ['application/sparql-results+xml', 'application/sparql-results+json'],
  tabular: ['application/sparql-results+xml', 'application/sparql-results+json', 'text/csv', 'text/tab-separated-values'],
  RDF: ['application/rdf+xml', 'text/turtle', 'application/n-triples'],
};

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ dataDir: 'tests/fixtures/protocol-data' });
});
afterAll(() => server.close());

async function send(request: ProtocolRequest): Promise<Response> {
  const path = request.absolutePath.replace(/^\/sparql\/?/, '/sparql');
  const body = request.body
    ? (/utf-?16/i.test(request.body.encoding) ? Buffer.from(request.body.chars, 'utf16le') : Buffer.from(request.body.chars, 'utf8'))
    : undefined;
  return fetch(`${server.url}${path}`, { method: request.method, headers: request.headers ?? {}, ...(body ? { body } : {}) });
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

  for (const test of suite.tests) {
    const skip = SKIPPED[test.id];
    (skip ? it.skip : it)(`${test.id}: ${test.name}${skip ? ` (skipped: ${skip})` : ''}`, async () => {
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
