// The W3C SPARQL 1.1 Graph Store HTTP Protocol tests (tests/fixtures/conformance, from
// w3c/rdf-tests: manifest-direct.ttl and manifest-indirect.ttl), all 13 cases, against a live
// server with a write token. The suite's /gsp is our /store; each case starts from an empty store.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { canonical, parseRdf } from '../helpers/rdf.ts';

interface GspRequest {
  method: string;
  path: string;
  queryParams: string[];
  contentType: string | null;
  accept: string | null;
  body: string | null;
  expectedStatus: string;
  expectedContentType: string | null;
  expectedBodyIsomorphicTo: string | null;
  expectedLocationPlaceholder: string | null;
}
interface GspTest {
  id: string;
  name: string;
  requests: Array<{ absolutePath: string; headers?: Record<string, string>; body?: { chars: string } }>;
  summary: GspRequest[];
}

const suite = JSON.parse(readFileSync('tests/fixtures/conformance/graph-store-protocol-tests.json', 'utf8')) as { tests: GspTest[] };
const TOKEN = 'graph-store-write-token';
const LOCATION = '$LOCATION$';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ dataDir: 'tests/fixtures/protocol-data', writeToken: TOKEN });
});
afterAll(() => server.close());
beforeEach(async () => {
  const response = await fetch(`${server.url}/sparql`, {
    method: 'POST', headers: { 'content-type': 'application/sparql-update', authorization: `Bearer ${TOKEN}` }, body: 'DROP ALL',
  });
  expect(response.status).toBe(204);
});

/** The suite's absolute path on our server: /gsp becomes /store, the placeholder the Location seen. */
function urlOf(absolutePath: string, location: string | undefined): string {
  const path = absolutePath.replace(/^\/gsp/, '/store');
  return `${server.url}${location ? path.replace(encodeURIComponent(LOCATION), encodeURIComponent(location)).replace(LOCATION, encodeURIComponent(location)) : path}`;
}

describe('W3C SPARQL 1.1 Graph Store HTTP Protocol tests', () => {
  it('has all 13 cases of the suite', () => {
    expect(suite.tests).toHaveLength(13);
  });

  for (const test of suite.tests) {
    it(`${test.id}: ${test.name}`, async () => {
      let location: string | undefined;
      for (const [index, step] of test.summary.entries()) {
        const raw = test.requests[index]!;
        const headers: Record<string, string> = { ...raw.headers, authorization: `Bearer ${TOKEN}` };
        const response = await fetch(urlOf(raw.absolutePath, location), {
          method: step.method, headers, ...(raw.body ? { body: raw.body.chars } : {}),
        });
        const text = await response.text();
        const allowed = step.expectedStatus.split(' or ');
        expect(allowed, `${step.method} ${raw.absolutePath}: ${response.status} ${text}`).toContain(String(response.status));
        if (step.expectedContentType) expect(response.headers.get('content-type')).toBe(step.expectedContentType);
        if (step.expectedLocationPlaceholder) {
          location = response.headers.get('location') ?? undefined;
          expect(location).toMatch(/^http:\/\//);
        }
        if (step.expectedBodyIsomorphicTo && step.method !== 'HEAD') {
          const expected = await canonical(await parseRdf(step.expectedBodyIsomorphicTo, 'text/turtle'));
          expect(await canonical(await parseRdf(text, 'text/turtle'))).toBe(expected);
        }
        if (step.method === 'HEAD') expect(text).toBe('');
      }
    });
  }
});
