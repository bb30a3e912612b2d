// Every result format, parsed back with a parser that is not the one that wrote it, equals the
// store's own answer to the same query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import { SparqlXmlParser } from 'sparqlxml-parse';
import { Readable } from 'node:stream';
import { startTestServer, getQuery, type TestServer } from '../helpers/server.ts';
import { knowledgeGraph } from '../helpers/kg.ts';
import { parseRdf, sortedKeys } from '../helpers/rdf.ts';

const SELECT = `SELECT ?event ?name ?date WHERE {
  ?event a <http://schema.org/Event> ; <http://www.w3.org/2000/01/rdf-schema#label> ?name .
  OPTIONAL { ?event <http://schema.org/startDate> ?date } } ORDER BY ?event`;
const CONSTRUCT = `CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <http://127.0.0.1:7878/id/graph/csto-joint-session-2021-09-15/s15> { ?s ?p ?o } }`;

let server: TestServer;
let expectedRows: Array<Record<string, string>>;
let expectedTriples: string[];

beforeAll(async () => {
  server = await startTestServer();
  const kg = await knowledgeGraph();
  expectedRows = kg.store.select(SELECT).map((row) => Object.fromEntries(Object.entries(row).map(([k, t]) => [k, t.value])));
  expectedTriples = sortedKeys(kg.store.construct(CONSTRUCT), false);
});
afterAll(() => server.close());

async function fetchText(query: string, accept: string): Promise<{ text: string; type: string }> {
  const response = await getQuery(server, query, { accept });
  expect(response.status).toBe(200);
  return { text: await response.text(), type: response.headers.get('content-type')! };
}

describe('SELECT results parse back to the store\'s answer', () => {
  it('has a non-trivial expected answer', () => {
    expect(expectedRows).toHaveLength(4);
    expect(expectedRows.filter((row) => row.date)).toHaveLength(2);
  });

  it('SPARQL JSON', async () => {
    const { text } = await fetchText(SELECT, 'application/sparql-results+json');
    const json = JSON.parse(text);
    expect(json.head.vars).toEqual(['event', 'name', 'date']);
    const rows = json.results.bindings.map((b: Record<string, { value: string }>) =>
      Object.fromEntries(Object.entries(b).map(([k, t]) => [k, t.value])));
    expect(rows).toEqual(expectedRows);
  });

  it('SPARQL XML (sparqlxml-parse)', async () => {
    const { text } = await fetchText(SELECT, 'application/sparql-results+xml');
    const rows: Array<Record<string, string>> = [];
    await new Promise<void>((resolve, reject) => {
      new SparqlXmlParser().parseXmlResultsStream(Readable.from([text]))
        .on('data', (bindings: Record<string, { value: string }>) => rows.push(
          Object.fromEntries(Object.entries(bindings).map(([k, t]) => [k.replace(/^\?/, ''), t.value]))))
        .on('error', reject)
        .on('end', resolve);
    });
    expect(rows).toEqual(expectedRows);
  });

  it('CSV (csv-parse)', async () => {
    const { text } = await fetchText(SELECT, 'text/csv');
    const records = parseCsv(text, { columns: true }) as Array<Record<string, string>>;
    const rows = records.map((record) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== '')));
    expect(rows).toEqual(expectedRows);
  });

  it('TSV (terms in SPARQL syntax)', async () => {
    const { text } = await fetchText(SELECT, 'text/tab-separated-values');
    const [header, ...lines] = text.trimEnd().split('\n');
    expect(header).toBe('?event\t?name\t?date');
    const rows = lines.map((line) => {
      const [event, name, date] = line.split('\t');
      return Object.fromEntries(Object.entries({
        event: event!.replace(/^<(.*)>$/, '$1'),
        name: name ? (JSON.parse(name.replace(/@en$/, '')) as string) : '',
        date: date ? date.replace(/^"(.*)"\^\^<http:\/\/www\.w3\.org\/2001\/XMLSchema#date>$/, '$1') : '',
      }).filter(([, v]) => v !== ''));
    });
    expect(rows).toEqual(expectedRows);
  });
});

describe('CONSTRUCT results parse back to the store\'s answer', () => {
  it('has a non-trivial expected answer', () => {
    expect(expectedTriples.length).toBeGreaterThan(20);
  });

  it.each([
    'text/turtle', 'application/n-triples', 'application/n-quads', 'application/trig',
    'application/ld+json', 'application/rdf+xml',
  ])('%s', async (accept) => {
    const { text, type } = await fetchText(CONSTRUCT, accept);
    expect(type.startsWith(accept)).toBe(true);
    expect(sortedKeys(await parseRdf(text, type), false)).toEqual(expectedTriples);
  });
});
