import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Parser } from 'n3';
import type * as RDF from '@rdfjs/types';
import { buildKnowledgeGraph } from '../../src/dataset/build.ts';
import { SYSTEM_GRAPHS } from '../../src/dataset/sources.ts';
import { sparqlPrefixes } from '../../src/core/namespaces.ts';
import { screenNodes, screenQueries } from '../../src/dataset/shape-screen.ts';
import { validateNodes } from '../../src/dataset/shape-scope.ts';
import type { GraphStore } from '../../src/engine/rdf/graph-store.ts';
import { config, id } from '../helpers/kg.ts';

const SHAPES_GRAPH = `${config.baseIri}${SYSTEM_GRAPHS.shapes}`;

/** Changes to the union default graph (the graph the shapes are checked on), each breaking or bending one shape. */
const CHANGES: Record<string, string> = {
  'no label': `DELETE WHERE { <${id('person/ruslan-kazakbaev')}> rdfs:label ?label }`,
  'two labels': `INSERT DATA { <${id('person/ruslan-kazakbaev')}> rdfs:label "Another name"@en }`,
  'a French label': `DELETE WHERE { <${id('person/ruslan-kazakbaev')}> rdfs:label ?label } ;
    INSERT DATA { <${id('person/ruslan-kazakbaev')}> rdfs:label "Rouslan"@fr }`,
  'an English alternative label with a region (allowed)': `INSERT DATA { <${id('person/ruslan-kazakbaev')}> skos:altLabel "R. Kazakbaev"@en-GB }`,
  'a sameAs literal': `INSERT DATA { <${id('person/ruslan-kazakbaev')}> owl:sameAs "Q123" }`,
  'a date that is no date': `DELETE WHERE { <${id('event/csto-joint-session-2021-09-15')}> schema:startDate ?date } ;
    INSERT DATA { <${id('event/csto-joint-session-2021-09-15')}> schema:startDate "2021-13-45"^^xsd:date }`,
  'a date-time for a date': `DELETE WHERE { <${id('event/csto-joint-session-2021-09-15')}> schema:startDate ?date } ;
    INSERT DATA { <${id('event/csto-joint-session-2021-09-15')}> schema:startDate "2021-09-15T10:00:00"^^xsd:dateTime }`,
  'an unknown event status': `INSERT DATA { <${id('event/csto-chairmanship-transfer-2021')}> schema:eventStatus schema:EventDelayed }`,
  'a location that is a blank node': `INSERT DATA { <${id('event/csto-joint-session-2021-09-15')}> schema:location [ a schema:Place ] }`,
  'a location that is not a place': `INSERT DATA { <${id('event/csto-joint-session-2021-09-15')}> schema:location <${id('person/ruslan-kazakbaev')}> }`,
  'a negative count': `DELETE WHERE { <${id('document/signed-documents-2021-09-15')}> schema:numberOfItems ?n } ;
    INSERT DATA { <${id('document/signed-documents-2021-09-15')}> schema:numberOfItems -1 }`,
  'a count as a decimal': `DELETE WHERE { <${id('document/signed-documents-2021-09-15')}> schema:numberOfItems ?n } ;
    INSERT DATA { <${id('document/signed-documents-2021-09-15')}> schema:numberOfItems 25.0 }`,
  'an anchor with a character XML Schema strings exclude': `DELETE WHERE { <${id('text/csto-joint-session-2021-09-15/char-3053-3061')}> nif:anchorOf ?text } ;
    INSERT DATA { <${id('text/csto-joint-session-2021-09-15/char-3053-3061')}> nif:anchorOf "\\uFFFE" }`,
  'a membership without its interval': `DELETE WHERE { <${id('membership/csto-chair-armenia-from-2021')}> org:memberDuring ?interval }`,
  'an anniversary without years': `DELETE WHERE { <${id('anniversary/20th-anniversary-of-sco')}> dip:anniversaryYears ?years }`,
};

async function changedStore(changes: string[]): Promise<{ store: GraphStore; shapes: RDF.Quad[] }> {
  const kg = await buildKnowledgeGraph(config, { deferChecks: true });
  for (const change of changes) kg.store.update(`${sparqlPrefixes()}\n${change}`);
  return { store: kg.store, shapes: kg.store.quads(SHAPES_GRAPH) };
}

/** shacl-engine over every target node: what the build did before the screen. */
async function validateEveryTarget(store: GraphStore, shapes: RDF.Quad[]): Promise<string[]> {
  const targeted = shapes.filter((quad) => quad.predicate.value === 'http://www.w3.org/ns/shacl#targetClass').map((quad) => `<${quad.object.value}>`);
  const classes = [...new Set(targeted)].join(' ');
  const nodes = store.select(`SELECT DISTINCT ?node WHERE { VALUES ?class { ${classes} } ?node a ?class }`).map((row) => row.node!);
  return reportLines(await validateNodes(store, shapes, nodes));
}

async function validateScreened(store: GraphStore, shapes: RDF.Quad[]): Promise<string[]> {
  return reportLines(await validateNodes(store, shapes, screenNodes(store, shapes)));
}

function reportLines(violations: Awaited<ReturnType<typeof validateNodes>>): string[] {
  return violations.map((v) => `${v.focusNode} ${v.path ?? ''} ${v.value ?? ''} ${v.message}`).sort();
}

describe('the SPARQL screen before SHACL', () => {
  it('translates every shape of ontology/shapes.ttl, so conforming data reaches shacl-engine with no node at all', async () => {
    const { store, shapes } = await changedStore([]);
    const queries = screenQueries(shapes);
    expect(queries.length).toBeGreaterThan(14);
    // A shape the screen cannot translate becomes a query for all of its targets: no FILTER, no GROUP BY.
    expect(queries.filter((query) => !/FILTER|GROUP BY/.test(query.sparql))).toEqual([]);
    expect(screenNodes(store, shapes)).toEqual([]);
  });

  for (const [name, change] of Object.entries(CHANGES)) {
    it(`reports what validating every node reports: ${name}`, async () => {
      const { store, shapes } = await changedStore([change]);
      const everyTarget = await validateEveryTarget(store, shapes);
      expect(await validateScreened(store, shapes)).toEqual(everyTarget);
      if (!name.includes('(allowed)')) expect(everyTarget.length).toBeGreaterThan(0);
    });
  }

  it('reports what validating every node reports for any mix of the changes', async () => {
    await fc.assert(fc.asyncProperty(fc.subarray(Object.values(CHANGES), { minLength: 2, maxLength: 6 }), async (changes) => {
      const { store, shapes } = await changedStore(changes);
      expect(await validateScreened(store, shapes)).toEqual(await validateEveryTarget(store, shapes));
    }), { numRuns: 8, seed: 20261127 });
  });

  it('reports what validating every node reports with counts other than 0 and 1 (grouped counts)', async () => {
    const { store, shapes } = await changedStore([CHANGES['two labels']!]);
    const withCounts = [...shapes, ...new Parser().parse(`@prefix sh: <http://www.w3.org/ns/shacl#> .
      <urn:test:CountShape> sh:targetClass <http://schema.org/Person> , <http://schema.org/Event> ;
        sh:property [ sh:path <http://www.w3.org/2000/01/rdf-schema#label> ; sh:minCount 2 ; sh:maxCount 2 ] .
      <urn:test:NoSameAsShape> sh:targetClass <http://www.w3.org/ns/org#Organization> ;
        sh:property [ sh:path <http://www.w3.org/2002/07/owl#sameAs> ; sh:maxCount 0 ] .`)];
    const everyTarget = await validateEveryTarget(store, withCounts);
    expect(everyTarget.filter((line) => line.includes('rdf-schema#label')).length).toBeGreaterThan(3);
    expect(everyTarget.filter((line) => line.includes('owl#sameAs')).length).toBeGreaterThan(3);
    expect(await validateScreened(store, withCounts)).toEqual(everyTarget);
  });

  it('flags every target of a shape that uses a constraint it does not translate', async () => {
    const { store, shapes } = await changedStore([]);
    const withPattern = [...shapes, ...new Parser().parse(`@prefix sh: <http://www.w3.org/ns/shacl#> .
      <urn:test:PatternShape> sh:targetClass <http://schema.org/Event> ;
        sh:property [ sh:path <http://www.w3.org/2000/01/rdf-schema#label> ; sh:pattern "^[A-Z]" ] .`)];
    const people = store.select('SELECT DISTINCT ?p WHERE { ?p a <http://schema.org/Event> }').map((row) => row.p!.value);
    expect(people.length).toBeGreaterThan(3);
    expect(screenNodes(store, withPattern).map((node) => node.value).sort()).toEqual(people.sort());
    // A list member the screen cannot write in SPARQL (a blank node) is not translated either.
    const withBlankMember = [...shapes, ...new Parser().parse(`@prefix sh: <http://www.w3.org/ns/shacl#> .
      <urn:test:InShape> sh:targetClass <http://schema.org/Event> ;
        sh:property [ sh:path <http://schema.org/eventStatus> ; sh:in ( [] ) ] .`)];
    expect(screenNodes(store, withBlankMember).map((node) => node.value).sort()).toEqual(people.sort());
  });
});
