import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { knowledgeGraph, rows, ask, id } from '../helpers/kg.ts';
import { loadConfig } from '../../src/core/config.ts';
import { buildKnowledgeGraph } from '../../src/dataset/build.ts';
import { segmentSentences } from '../../src/text/segment.ts';

const SLUG = 'csto-joint-session-2021-09-15';
const SOURCE_TEXT = readFileSync(`data/${SLUG}.txt`, 'utf8');

describe('building the knowledge graph', () => {
  it('tells its progress: every file loaded, then every screening query, then the nodes shacl-engine judges', async () => {
    const events: Array<{ step: string; done: number; total: number }> = [];
    await buildKnowledgeGraph(loadConfig({}), { onProgress: (progress) => events.push(progress) });
    const load = events.filter((event) => event.step === 'load');
    const screen = events.filter((event) => event.step === 'screen');
    const shapes = events.filter((event) => event.step === 'shapes');
    // ontology/ has 3 RDF files, data/ 1: each reported before it loads, then the total.
    expect(load.map((event) => event.done)).toEqual([0, 1, 2, 3, 4]);
    expect(load.every((event) => event.total === 4)).toBe(true);
    expect(screen.map((event) => event.done)).toEqual(Array.from({ length: screen[0]!.total + 1 }, (_, i) => i));
    expect(screen[0]!.total).toBeGreaterThan(14);
    // The data conforms: the screen leaves shacl-engine no node to judge.
    expect(shapes.map((event) => [event.done, event.total])).toEqual([[0, 0]]);
    expect(events.indexOf(screen[0]!)).toBeGreaterThan(events.indexOf(load.at(-1)!));
    expect(events.indexOf(shapes[0]!)).toBeGreaterThan(events.indexOf(screen.at(-1)!));
  });

  it('loads, checks and validates the ontology and the CSTO text without problems', async () => {
    const kg = await knowledgeGraph();
    expect(kg.store.size).toBeGreaterThan(1000);
    expect(kg.inferredTriples).toBeGreaterThan(0);
  });

  it('puts the ontology, the shapes and the materialized triples in graphs of their own', async () => {
    const kg = await knowledgeGraph();
    const graphs = kg.store.graphNames();
    for (const graph of ['graph/ontology', 'graph/shapes', 'graph/inferred']) expect(graphs).toContain(id(graph));
    expect(await ask(`ASK { GRAPH <${id('graph/ontology')}> { dip:JointSession rdfs:subClassOf dip:Session } }`)).toBe(true);
    expect(await ask(`ASK { GRAPH <${id('graph/inferred')}> { <${id('event/csto-joint-session-2021-09-15')}> a schema:Event } }`)).toBe(true);
  });

  it('resolves relative IRIs against the configured base IRI', async () => {
    const kg = await buildKnowledgeGraph(loadConfig({}, { baseIri: 'https://kg.example.net/id/' }), { validate: false });
    const persons = kg.store.select('SELECT ?p WHERE { ?p a <http://schema.org/Person> }');
    expect(persons.map((row) => row.p!.value)).toEqual(['https://kg.example.net/id/person/ruslan-kazakbaev']);
  });

  it('answers queries without GRAPH over the union of all graphs, each triple once', async () => {
    // The attendance is stated by the title and by sentence 2: two graphs, one triple in the union.
    const attendance = await rows(`SELECT ?g WHERE { GRAPH ?g { ?e schema:attendee ?p } }`);
    expect(attendance).toHaveLength(2);
    expect(await rows(`SELECT ?p WHERE { ?e schema:attendee ?p }`)).toEqual([{ p: id('person/ruslan-kazakbaev') }]);
  });
});

describe('provenance of every fact', () => {
  it('gives every sentence of the text, title included, a resource with its exact text and offsets', async () => {
    const sentences = await rows(`
      SELECT ?sentence ?text ?begin ?end WHERE {
        ?sentence a nif:Sentence ; nif:anchorOf ?text ; nif:beginIndex ?begin ; nif:endIndex ?end ;
                  nif:referenceContext <${id(`text/${SLUG}`)}> .
      } ORDER BY ?begin`);
    const expected = segmentSentences(SOURCE_TEXT);
    expect(sentences.map((s) => s.text)).toEqual(expected.map((s) => s.text));
    for (const s of sentences) expect(SOURCE_TEXT.slice(Number(s.begin), Number(s.end))).toBe(s.text);
  });

  it('keeps the full source text on the article', async () => {
    const [article] = await rows(`SELECT ?text WHERE { <${id(`text/${SLUG}`)}> a schema:NewsArticle ; nif:isString ?text }`);
    expect(article!.text).toBe(SOURCE_TEXT);
  });

  it('makes every sentence the evidence of at least one graph of facts', async () => {
    const unused = await rows(`
      SELECT ?sentence WHERE {
        ?sentence a nif:Sentence .
        FILTER NOT EXISTS { ?graph prov:wasDerivedFrom ?sentence . GRAPH ?graph { ?s ?p ?o } }
      }`);
    expect(unused).toEqual([]);
    const graphsPerSentence = await rows(`
      SELECT ?sentence (COUNT(DISTINCT ?graph) AS ?n) WHERE { ?graph prov:wasDerivedFrom ?sentence . ?sentence a nif:Sentence }
      GROUP BY ?sentence`);
    expect(graphsPerSentence).toHaveLength(15);
  });

  it('gives every named graph provenance', async () => {
    const withoutProvenance = await rows(`
      SELECT DISTINCT ?graph WHERE {
        GRAPH ?graph { ?s ?p ?o }
        FILTER NOT EXISTS { ?graph prov:wasDerivedFrom ?source }
      }`);
    expect(withoutProvenance).toEqual([]);
  });

  it('states each fact only in the graphs of sentences that say it', async () => {
    const graphs = await rows(`
      SELECT ?graph WHERE { GRAPH ?graph { ?transfer dip:nextChair ?armenia } }`);
    expect(graphs).toEqual([{ graph: id(`graph/${SLUG}/s15`) }]);
  });
});
