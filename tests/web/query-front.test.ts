// The query front (src/web/query-front.ts) answers GET and direct-POST queries on node:http; forms,
// updates and everything else reach the Express app. Both paths must answer alike.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const QUERY = 'SELECT ?name WHERE { ?city a <http://schema.org/City> ; <http://www.w3.org/2000/01/rdf-schema#label> ?name } ORDER BY ?name';
const SHARED_HEADERS = ['content-type', 'vary', 'content-security-policy', 'access-control-allow-origin', 'access-control-expose-headers', 'x-content-type-options'];

function viaFront(query: string, accept = 'application/sparql-results+json'): Promise<Response> {
  return fetch(`${server.url}/sparql?query=${encodeURIComponent(query)}`, { headers: { accept } });
}

function viaApp(query: string, accept = 'application/sparql-results+json'): Promise<Response> {
  return fetch(`${server.url}/sparql`, {
    method: 'POST',
    headers: { accept, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query }),
  });
}

async function answerOf(response: Response) {
  return {
    status: response.status,
    body: await response.text(),
    headers: Object.fromEntries(SHARED_HEADERS.map((name) => [name, response.headers.get(name)])),
  };
}

describe('the query front', () => {
  it('answers a GET query with the same status, body and headers as the app answers the same query in a form', async () => {
    const front = await answerOf(await viaFront(QUERY));
    const app = await answerOf(await viaApp(QUERY));
    expect(front.status).toBe(200);
    expect(JSON.parse(front.body).results.bindings.length).toBeGreaterThan(0);
    expect(front).toEqual(app);
    expect(front.headers['access-control-allow-origin']).toBe('*');
    expect(front.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('answers a direct POST (application/sparql-query) as the GET', async () => {
    const posted = await fetch(`${server.url}/sparql`, {
      method: 'POST', headers: { accept: 'text/csv', 'content-type': 'application/sparql-query' }, body: QUERY,
    });
    expect(await answerOf(posted)).toEqual(await answerOf(await viaFront(QUERY, 'text/csv')));
  });

  it('refuses bad queries with the same status, message and headers on both paths', async () => {
    for (const query of ['SELECT ?x WHERE {', 'INSERT DATA { <a:b> <a:c> <a:d> }']) {
      const front = await answerOf(await viaFront(query));
      expect(front.status).toBe(400);
      expect(front.headers['x-content-type-options']).toBe('nosniff');
      expect(front).toEqual(await answerOf(await viaApp(query)));
    }
    const unacceptable = await viaFront(QUERY, 'image/png');
    expect(unacceptable.status).toBe(406);
    expect(await unacceptable.text()).toMatch(/none of the accepted media types \(image\/png\)/);
  });

  it('answers HEAD with the headers of the GET and no body', async () => {
    const head = await fetch(`${server.url}/sparql?query=${encodeURIComponent(QUERY)}`, { method: 'HEAD', headers: { accept: 'application/sparql-results+json' } });
    const get = await viaFront(QUERY);
    const body = await get.text();
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
    expect(await head.text()).toBe('');
  });

  it('leaves the service description and the form of updates to the app', async () => {
    const description = await fetch(`${server.url}/sparql`, { headers: { accept: 'text/turtle' } });
    expect(description.status).toBe(200);
    expect(await description.text()).toContain('sd:Service');
    const update = await fetch(`${server.url}/sparql`, {
      method: 'POST', headers: { 'content-type': 'application/sparql-update' }, body: 'INSERT DATA { <a:b> <a:c> <a:d> }',
    });
    // Writes are off without a token: the app's answer, not a query error.
    expect([401, 403]).toContain(update.status);
  });

  it('refuses a query body over KG_MAX_BODY_BYTES with 413 before reading it', async () => {
    const small = await startTestServer({ maxBodyBytes: 64 });
    try {
      const response = await fetch(`${small.url}/sparql`, {
        method: 'POST', headers: { 'content-type': 'application/sparql-query' }, body: `${QUERY} # ${'x'.repeat(100)}`,
      });
      expect(response.status).toBe(413);
      expect(await response.text()).toMatch(/KG_MAX_BODY_BYTES/);
    } finally {
      await small.close();
    }
  });

  it('logs an error answer of the front with its status and message, never the query', async () => {
    await (await viaFront('SELECT ?frontSecret WHERE {')).text();
    const line = server.logLines().filter((entry) => entry.msg === 'request' && entry.status === 400).at(-1)!;
    expect(line).toMatchObject({ method: 'GET', path: '/sparql', status: 400 });
    expect(String(line.error)).toMatch(/SPARQL syntax error/);
    expect(JSON.stringify(server.logLines())).not.toContain('frontSecret');
  });
});
