// Every route reads its parameters by the same strict rules: a single-valued parameter given twice
// is a 400 that says so, wherever it is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const TWICE = 'the format parameter must be given at most once, not 2 times\n';

describe('a repeated format parameter', () => {
  it.each([
    ['/export?format=nt&format=rdfxml'],
    ['/ns?format=ttl&format=nt'],
    ['/data/person/ruslan-kazakbaev?format=ttl&format=nt'],
    ['/.well-known/void?format=ttl&format=nt'],
    ['/sparql?format=ttl&format=nt'],
    ['/sparql?query=ASK%7B%7D&format=json&format=xml'],
    ['/queries/future-events?format=csv&format=json'],
  ])('%s is refused with 400', async (path) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toBe(TWICE);
  });

  it('is refused in a form body as in the URL', async () => {
    const response = await fetch(`${server.url}/sparql?format=json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=ASK%7B%7D&format=xml',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe(TWICE);
  });

  it('given once, still picks the format on every route', async () => {
    for (const path of ['/export?format=nt', '/ns?format=nt', '/data/person/ruslan-kazakbaev?format=nt', '/.well-known/void?format=nt', '/sparql?format=nt']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe('application/n-triples; charset=utf-8');
    }
  });
});

describe('a saved query', () => {
  it('takes no query parameter of its own', async () => {
    const response = await fetch(`${server.url}/queries/future-events?query=ASK%7B%7D`);
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('a saved query takes no query parameter; send your own query to /sparql\n');
  });
});
