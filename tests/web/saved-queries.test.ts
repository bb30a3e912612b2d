// Saved queries over HTTP: listed at /queries, run at /queries/{name}, published as RDF, and a
// query that does not parse stops the server at start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { runKg } from '../helpers/cli.ts';
import { parseRdf } from '../helpers/rdf.ts';
import { PREFIXES } from '../../src/core/namespaces.ts';

const FILES = readdirSync('queries').filter((name) => name.endsWith('.rq')).map((name) => name.slice(0, -3)).sort();

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('GET /queries', () => {
  it('lists every saved query as JSON with title, description, text and links', async () => {
    const response = await fetch(`${server.url}/queries`);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const list = await response.json() as Array<Record<string, string>>;
    expect(list.map((entry) => entry.name)).toEqual(FILES);
    const planned = list.find((entry) => entry.name === 'planned-documents')!;
    expect(planned).toMatchObject({ title: 'Which documents are only planned', run: '/queries/planned-documents' });
    expect(planned.query).toContain('schema:creativeWorkStatus dip:Planned');
    expect(planned.open).toBe(`/?query=${encodeURIComponent(planned.query!)}`);
  });

  it('is an HTML page for people', async () => {
    const response = await fetch(`${server.url}/queries`, { headers: { accept: 'text/html' } });
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const text = await response.text();
    for (const name of FILES) expect(text).toContain(`<a href="/queries/${name}">Run (SPARQL JSON)</a>`);
    expect(text).toContain('<h2>Which documents are only planned</h2>');
  });
});

describe('GET /queries/{name}', () => {
  it('runs the query with the negotiation of /sparql', async () => {
    const json = await (await fetch(`${server.url}/queries/planned-documents`)).json();
    expect(json.results.bindings).toEqual([{
      document: { type: 'uri', value: 'http://127.0.0.1:7878/id/document/statement-on-confidence-building-in-the-border-area' },
      title: { type: 'literal', value: 'Statement on Confidence Building in the Border Area of the CSTO Member States', 'xml:lang': 'en' },
    }]);
    const csv = await fetch(`${server.url}/queries/planned-documents`, { headers: { accept: 'text/csv' } });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const turtle = await fetch(`${server.url}/queries/chairmanship-graph?format=ttl`);
    expect((await parseRdf(await turtle.text(), 'text/turtle')).length).toBe(12);
  });

  it('answers 404 for an unknown name', async () => {
    const response = await fetch(`${server.url}/queries/no-such-query`);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('no saved query named "no-such-query"; see /queries\n');
  });
});

describe('the saved queries as RDF', () => {
  it('are SHACL SPARQL executables in the store, targeting the endpoint', async () => {
    const query = `SELECT ?q ?title ?target ?text WHERE { ?q a <${PREFIXES.sh}SPARQLExecutable> ; <${PREFIXES.rdfs}label> ?title ; <${PREFIXES.schema}target> ?target ; <${PREFIXES.sh}select> ?text } ORDER BY ?q`;
    const json = await (await fetch(`${server.url}/sparql?query=${encodeURIComponent(query)}`)).json();
    const bindings = json.results.bindings as Array<Record<string, { value: string }>>;
    expect(bindings.map((b) => b.q!.value)).toEqual(FILES.filter((name) => name !== 'chairmanship-graph').map((name) => `http://127.0.0.1:7878/id/query/${name}`));
    expect(new Set(bindings.map((b) => b.target!.value))).toEqual(new Set(['http://127.0.0.1:7878/sparql']));
  });

  it('are in the service description', async () => {
    const response = await fetch(`${server.url}/sparql`);
    const quads = await parseRdf(await response.text(), 'text/turtle');
    const executables = quads.filter((q) => q.predicate.value === `${PREFIXES.rdf}type` && q.object.value === `${PREFIXES.sh}SPARQLExecutable`);
    expect(executables).toHaveLength(FILES.length);
  });
});

describe('publishing', () => {
  it('publishes a new .rq file with no other change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-queries-'));
    cpSync('queries', dir, { recursive: true });
    writeFileSync(join(dir, 'cities.rq'), '# title: Every city\n# description: The cities the texts name, with their labels.\nSELECT ?city WHERE { ?city a <http://schema.org/City> }\n');
    const other = await startTestServer({ queriesDir: dir });
    try {
      const list = await (await fetch(`${other.url}/queries`)).json() as Array<{ name: string }>;
      expect(list.map((entry) => entry.name)).toContain('cities');
      const json = await (await fetch(`${other.url}/queries/cities`)).json();
      expect(json.results.bindings).toEqual([{ city: { type: 'uri', value: 'http://127.0.0.1:7878/id/place/dushanbe' } }]);
    } finally {
      await other.close();
    }
  });

  it('refuses to start when a saved query does not parse, naming the file and the error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-bad-queries-'));
    writeFileSync(join(dir, 'broken.rq'), '# title: Broken\n# description: A query with a syntax error.\nSELECT ?x WHERE { ?x ?p }\n');
    const result = await runKg(['serve', '--port', '0'], { KG_QUERIES_DIR: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('kg: saved queries that do not parse\n');
    expect(result.stderr).toMatch(/broken\.rq: SPARQL syntax error: error at \d+:\d+: /);
  });
});
