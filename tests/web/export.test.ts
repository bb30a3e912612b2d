// GET /export in every format parses back, with independent parsers (n3, jsonld-streaming-parser,
// rdfxml-streaming-parser, and rapper from raptor2-utils), to exactly what the store holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Parser } from 'n3';
import type * as RDF from '@rdfjs/types';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { knowledgeGraph } from '../helpers/kg.ts';
import { canonical, parseRdf } from '../helpers/rdf.ts';
import { PEERS, describeWithPeers, run, startVirtuoso, type Virtuoso } from '../helpers/peers.ts';
import { spaceBeforeFinalDot } from '../../src/engine/rdf/pretty-turtle.ts';

let server: TestServer;
let union: string;
let named: string;

beforeAll(async () => {
  server = await startTestServer();
  const kg = await knowledgeGraph();
  union = await canonical(kg.store.quads(''), false);
  named = await canonical(kg.store.quads());
});
afterAll(() => server.close());

async function download(format: string): Promise<{ text: string; type: string; disposition: string | null }> {
  const response = await fetch(`${server.url}/export?format=${format}`);
  expect(response.status).toBe(200);
  return { text: await response.text(), type: response.headers.get('content-type')!, disposition: response.headers.get('content-disposition') };
}

const TRIPLE_FORMATS = [['ttl', 'text/turtle', 'diplomacy-kg.ttl'], ['nt', 'application/n-triples', 'diplomacy-kg.nt'], ['rdfxml', 'application/rdf+xml', 'diplomacy-kg.rdf']] as const;
const QUAD_FORMATS = [['trig', 'application/trig', 'diplomacy-kg.trig'], ['nq', 'application/n-quads', 'diplomacy-kg.nq'], ['jsonld', 'application/ld+json', 'diplomacy-kg.jsonld']] as const;

describe('GET /export', () => {
  it('is pretty Turtle by default, as a download named after the format', async () => {
    const response = await fetch(`${server.url}/export`);
    expect(response.headers.get('content-type')).toBe('text/turtle; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="diplomacy-kg.ttl"');
    const text = await response.text();
    expect(text).toMatch(/^@prefix dip: <https:\/\/w3id\.org\/diplomacy-kg\/ns#>\./);
    // Grouped by subject, blank nodes and lists inlined (the SHACL shapes have both).
    expect(text).toContain('<http://127.0.0.1:7878/id/person/ruslan-kazakbaev> a schema:Person');
    expect(text).toMatch(/sh:property \[/);
    expect(text).toContain('sh:languageIn ("en")');
    expect(text).not.toMatch(/^_:/m);
  });

  it('follows Accept', async () => {
    const response = await fetch(`${server.url}/export`, { headers: { accept: 'application/n-quads' } });
    expect(response.headers.get('content-type')).toBe('application/n-quads; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="diplomacy-kg.nq"');
  });

  it.each(TRIPLE_FORMATS)('%s holds the union of all graphs', async (format, mediaType, fileName) => {
    const { text, type, disposition } = await download(format);
    expect(type.startsWith(mediaType)).toBe(true);
    expect(disposition).toBe(`attachment; filename="${fileName}"`);
    expect(await canonical(await parseRdf(text, type), false)).toBe(union);
  });

  it.each(QUAD_FORMATS)('%s keeps every named graph, so provenance survives', async (format, mediaType, fileName) => {
    const { text, type, disposition } = await download(format);
    expect(type.startsWith(mediaType)).toBe(true);
    expect(disposition).toBe(`attachment; filename="${fileName}"`);
    const quads = await parseRdf(text, type);
    expect(quads.some((q) => q.graph.value === 'http://127.0.0.1:7878/id/graph/csto-joint-session-2021-09-15/s15')).toBe(true);
    expect(await canonical(quads)).toBe(named);
  });

  it('jsonld parses to the same union with jsonld-streaming-parser too', async () => {
    // jsonld-streaming-parser 5 puts the rdf:first/rdf:rest nodes of a list inside a named graph
    // into the default graph, so this second, independent parser is compared on the union.
    const { text } = await download('jsonld');
    expect(await canonical(await parseRdf(text, 'application/ld+json;streaming'), false)).toBe(union);
  });

  it('JSON-LD comes with a context of the project\'s prefixes', async () => {
    const { text } = await download('jsonld');
    const document = JSON.parse(text) as { '@context': Record<string, string>; '@graph': unknown[] };
    expect(document['@context'].schema).toBe('http://schema.org/');
    expect(document['@context'].dip).toBe('https://w3id.org/diplomacy-kg/ns#');
    expect(text).toContain('"schema:startDate"');
  });
});

describeWithPeers('rapper reads every export', [PEERS.rapper], () => {
  const dir = mkdtempSync(join(tmpdir(), 'kg-rapper-'));
  it.each([
    ['ttl', 'turtle', false], ['nt', 'ntriples', false], ['rdfxml', 'rdfxml', false], ['trig', 'trig', true], ['nq', 'nquads', true],
  ] as const)('%s', async (format, syntax, quads) => {
    const file = join(dir, `export.${format}`);
    writeFileSync(file, (await download(format)).text);
    const result = await run('/usr/bin/rapper', ['-q', '-i', syntax, '-o', quads ? 'nquads' : 'ntriples', file, 'http://example.org/']);
    expect(result.code, result.stderr).toBe(0);
    const parsed: RDF.Quad[] = new Parser({ format: 'application/n-quads' }).parse(result.stdout);
    expect(await canonical(parsed, quads)).toBe(quads ? named : union);
  });
});

describe('numbers at the end of a Turtle statement', () => {
  it('are followed by a space before the dot, which every parser reads', () => {
    expect(spaceBeforeFinalDot('<urn:s> <urn:p> 20.\n<urn:s> <urn:q> -1.5.\n<urn:s> <urn:r> 2E3.\n<urn:s> <urn:t> true.\n'))
      .toBe('<urn:s> <urn:p> 20 .\n<urn:s> <urn:q> -1.5 .\n<urn:s> <urn:r> 2E3 .\n<urn:s> <urn:t> true .\n');
  });

  it('leaves strings, IRIs and prefixed names alone', () => {
    const turtle = '<urn:s> <urn:p> "ends 20.", <urn:x20.>, ex:v20.\n';
    expect(spaceBeforeFinalDot(turtle)).toBe(turtle);
  });

  it('holds for the export: no line ends in a number and a dot', async () => {
    const { text } = await download('ttl');
    expect(text).toMatch(/dip:anniversaryYears 20 \.$/m);
    expect(text).not.toMatch(/\s[+-]?\d+\.$/m);
  });
});

describeWithPeers('Virtuoso loads the Turtle export', [PEERS.virtuoso], () => {
  let virtuoso: Virtuoso;
  beforeAll(async () => {
    virtuoso = await startVirtuoso();
  }, 60_000);
  afterAll(() => virtuoso?.stop());

  it('with every triple of the union', async () => {
    const file = join(virtuoso.dir, 'export.ttl');
    writeFileSync(file, (await download('ttl')).text);
    chmodSync(file, 0o644);
    await virtuoso.isql(`DB.DBA.TTLP(file_to_string_output('${file}'), '', 'urn:export', 0)`);
    const count = await fetch(`${virtuoso.sparqlUrl}?query=${encodeURIComponent('SELECT (COUNT(*) AS ?n) FROM <urn:export> WHERE { ?s ?p ?o }')}`, {
      headers: { accept: 'application/sparql-results+json' },
    });
    const json = await count.json() as { results: { bindings: Array<{ n: { value: string } }> } };
    const triples = union.split('\n').length;
    expect(Number(json.results.bindings[0]!.n.value)).toBe(triples);
  });
});
