import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Parser } from 'n3';
import { runKg } from '../helpers/cli.ts';

const BASE = 'http://127.0.0.1:7878/id/';

describe('kg query', () => {
  it('runs a saved query file and prints SPARQL JSON results', async () => {
    const result = await runKg(['query', 'queries/planned-documents.rq', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.head.vars).toEqual(['document', 'title']);
    expect(json.results.bindings).toEqual([{
      document: { type: 'uri', value: `${BASE}document/statement-on-confidence-building-in-the-border-area` },
      title: { type: 'literal', value: 'Statement on Confidence Building in the Border Area of the CSTO Member States', 'xml:lang': 'en' },
    }]);
  });

  it('prints a table by default, with IRIs shortened', async () => {
    const result = await runKg(['query', 'SELECT ?name WHERE { ?p a <http://schema.org/Person> ; <http://www.w3.org/2000/01/rdf-schema#label> ?name }']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('name\n---------------------\n"Ruslan Kazakbaev"@en\n1 row\n');
  });

  it('prints CSV', async () => {
    const result = await runKg(['query', 'SELECT ?date WHERE { ?e a <https://w3id.org/diplomacy-kg/ns#JointSession> ; <http://schema.org/startDate> ?date }', '--format', 'csv']);
    expect(result.stdout).toBe('date\r\n2021-09-15\r\n');
  });

  it('prints CONSTRUCT results as Turtle that parses', async () => {
    const result = await runKg(['query', 'CONSTRUCT WHERE { ?s <http://www.w3.org/ns/org#unitOf> ?o }']);
    expect(result.code).toBe(0);
    const quads = new Parser().parse(result.stdout);
    expect(quads).toHaveLength(5);
    expect(new Set(quads.map((q) => q.object.value))).toEqual(new Set([`${BASE}organization/csto`]));
  });

  it('reports a syntax error with its position and exits 1', async () => {
    const result = await runKg(['query', 'SELECT ?x WHERE { ?x ?p }']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^kg: SPARQL syntax error: error at 1:2\d: /);
  });

  it('refuses updates: they go to a running server', async () => {
    const result = await runKg(['query', 'INSERT DATA { <urn:a> <urn:b> <urn:c> }']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('kg: kg query runs queries; send updates to a running server (POST /sparql with a write token)\n');
  });

  it('refuses a format that does not fit the query form', async () => {
    const result = await runKg(['query', 'SELECT * WHERE { ?s ?p ?o } LIMIT 1', '--format', 'turtle']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('kg: format "turtle" does not fit a SELECT query; use one of table, json, xml, csv, tsv\n');
  });

  it('says so when a query file does not exist', async () => {
    const result = await runKg(['query', 'queries/no-such-query.rq']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('kg: query file not found: queries/no-such-query.rq\n');
  });
});

describe('kg validate', () => {
  it('confirms valid data', async () => {
    const result = await runKg(['validate']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^valid: \d+ quads in 21 named graphs conform to the shapes\n$/);
  });

  it('lists the problems of invalid data and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-cli-'));
    cpSync('tests/fixtures/mini', dir, { recursive: true });
    const file = join(dir, 'mini.trig');
    writeFileSync(file, readFileSync(file, 'utf8').replace('rdfs:label "Gamma"@en .', '.'));
    const result = await runKg(['validate', '--data-dir', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('kg: the data does not conform to the SHACL shapes (ontology/shapes.ttl)\n');
    expect(result.stderr).toContain(`mini.trig: <${BASE}place/gamma> http://www.w3.org/2000/01/rdf-schema#label: needs exactly one English rdfs:label`);
  });

  it('kg serve refuses invalid data the same way and exits 1 (its query workers load beside the checks)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-cli-'));
    cpSync('tests/fixtures/mini', dir, { recursive: true });
    const file = join(dir, 'mini.trig');
    writeFileSync(file, readFileSync(file, 'utf8').replace('rdfs:label "Gamma"@en .', '.'));
    const result = await runKg(['serve', '--port', '0', '--data-dir', dir], { KG_STATE_DIR: join(dir, 'state') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('kg: the data does not conform to the SHACL shapes (ontology/shapes.ttl)\n');
    expect(result.stderr).toContain(`mini.trig: <${BASE}place/gamma> http://www.w3.org/2000/01/rdf-schema#label: needs exactly one English rdfs:label`);
  });

  it('takes the base IRI from KG_BASE_IRI', async () => {
    const result = await runKg(['query', 'SELECT ?p WHERE { ?p a <http://schema.org/Person> }', '--format', 'csv'], { KG_BASE_IRI: 'https://kg.example.org/id/' });
    expect(result.stdout).toBe('p\r\nhttps://kg.example.org/id/person/ruslan-kazakbaev\r\n');
  });

  it('rejects a base IRI that does not end with a slash', async () => {
    const result = await runKg(['stats', '--base-iri', 'https://kg.example.org/id']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('kg: the base IRI must end with "/" and have no query or fragment, not "https://kg.example.org/id"\n');
  });
});

describe('kg stats and kg export', () => {
  it('prints counts as JSON', async () => {
    const result = await runKg(['stats', '--json']);
    const stats = JSON.parse(result.stdout);
    expect(stats.namedGraphs).toBe(21);
    expect(stats.quads).toBeGreaterThan(stats.distinctTriples);
    expect(stats.entitiesByClass).toContainEqual({ class: 'http://schema.org/Person', entities: 1 });
    expect(stats.entitiesByClass).toContainEqual({ class: 'http://schema.org/Country', entities: 4 });
  });

  it('exports the union of all graphs as Turtle that parses back to the same number of triples', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kg-export-')), 'kg.ttl');
    const [exported, stats] = await Promise.all([runKg(['export', '--out', out]), runKg(['stats', '--json'])]);
    expect(exported.code).toBe(0);
    const triples = new Parser({ format: 'text/turtle' }).parse(readFileSync(out, 'utf8'));
    expect(triples.length).toBe(JSON.parse(stats.stdout).distinctTriples);
  });

  it('exports N-Quads with the named graphs', async () => {
    const result = await runKg(['export', '--format', 'nquads']);
    const quads = new Parser({ format: 'application/n-quads' }).parse(result.stdout);
    const graphs = new Set(quads.map((q) => q.graph.value));
    expect(graphs.size).toBe(21);
    expect(graphs).toContain(`${BASE}graph/csto-joint-session-2021-09-15/s15`);
    expect(quads.some((q) => q.graph.termType === 'DefaultGraph')).toBe(false);
  });
});

describe('kg segment', () => {
  it('prints the text graph skeleton of a new text, with offsets the loader accepts', async () => {
    const result = await runKg(['segment', 'tests/fixtures/mini/mini.txt']);
    expect(result.code).toBe(0);
    const quads = new Parser({ format: 'application/trig', baseIRI: BASE }).parse(result.stdout);
    const anchors = quads.filter((q) => q.predicate.value.endsWith('#anchorOf')).map((q) => q.object.value);
    expect(anchors).toEqual(['Alpha and Beta meet in Gamma', 'On 1 May 2020, the foreign ministers of Alpha and Beta met in Gamma.', 'They agreed to meet again.']);
    expect(readFileSync('tests/fixtures/mini/mini.trig', 'utf8')).toContain(result.stdout.slice(result.stdout.indexOf('<graph/mini>')));
  });
});
