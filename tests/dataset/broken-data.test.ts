// Each case copies the minimal fixture, breaks one thing and checks the loader's message.
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadConfig } from '../../src/core/config.ts';
import { buildKnowledgeGraph } from '../../src/dataset/build.ts';
import { DataError } from '../../src/core/errors.ts';

const FIXTURE = 'tests/fixtures/mini';

/** A copy of the fixture with `from` replaced by `to` in mini.trig. */
function brokenCopy(from: string, to: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kg-broken-'));
  cpSync(FIXTURE, dir, { recursive: true });
  const file = join(dir, 'mini.trig');
  const original = readFileSync(file, 'utf8');
  expect(original).toContain(from);
  writeFileSync(file, original.replace(from, to));
  return dir;
}

async function problemsOf(dataDir: string): Promise<string[]> {
  try {
    await buildKnowledgeGraph(loadConfig({}, { dataDir }));
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return (error as DataError).problems;
  }
  throw new Error('expected the build to fail');
}

describe('the loader refuses broken data with a clear message', () => {
  it('accepts the unbroken fixture, a text other than the CSTO one', async () => {
    const kg = await buildKnowledgeGraph(loadConfig({}, { dataDir: FIXTURE }));
    expect(kg.store.graphNames()).toContain('http://127.0.0.1:7878/id/graph/mini/s03');
  });

  it('names the file, the focus node and the datatype for a bad date', async () => {
    const problems = await problemsOf(brokenCopy('"2020-05-01"^^xsd:date', '"1 May 2020"^^xsd:date'));
    expect(problems).toEqual([
      expect.stringMatching(/\/mini\.trig: <http:\/\/127\.0\.0\.1:7878\/id\/event\/alpha-beta-meeting-2020-05-01> http:\/\/schema\.org\/startDate: schema:startDate must be a single xsd:date \(value "1 May 2020"\^\^<http:\/\/www\.w3\.org\/2001\/XMLSchema#date>\)$/),
    ]);
  });

  it('names the entity that has no label', async () => {
    const problems = await problemsOf(brokenCopy('rdfs:label "Gamma"@en .', '.'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/mini\.trig: <http:\/\/127\.0\.0\.1:7878\/id\/place\/gamma> http:\/\/www\.w3\.org\/2000\/01\/rdf-schema#label: needs exactly one English rdfs:label$/);
  });

  it('reports sentence offsets that are off by one, with where the text really is', async () => {
    const dir = brokenCopy(
      'nif:beginIndex "30"^^xsd:nonNegativeInteger ;\n    nif:endIndex "98"^^xsd:nonNegativeInteger',
      'nif:beginIndex "31"^^xsd:nonNegativeInteger ;\n    nif:endIndex "99"^^xsd:nonNegativeInteger',
    );
    const problems = await problemsOf(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/mini\.trig: <http:\/\/127\.0\.0\.1:7878\/id\/text\/mini\/s02>: nif:anchorOf "On 1 May 2020, .*" is not the source text at 31\.\.99, which reads "n 1 May 2020, .*"; the anchor text occurs at 30\.\.98$/);
  });

  it('reports a Turtle syntax error with the file and the line', async () => {
    const problems = await problemsOf(brokenCopy('<place/gamma> a schema:City ;', '<place/gamma> a schema:City ;;; ]'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^.*mini\.trig: Parser error (at|between) line 56 /);
  });

  it('reports offsets beyond the end of the text', async () => {
    const problems = await problemsOf(brokenCopy('nif:endIndex "98"^^xsd:nonNegativeInteger', 'nif:endIndex "980"^^xsd:nonNegativeInteger'));
    expect(problems[0]).toMatch(/offsets 30\.\.980 are outside the source text \(0\.\.\d+\)$/);
  });

  it('reports offsets past the end even when what they would select, cut at the end, is the anchor', async () => {
    const dir = brokenCopy(
      'nif:anchorOf "They agreed to meet again." ;\n    nif:beginIndex "99"^^xsd:nonNegativeInteger ;\n    nif:endIndex "125"^^xsd:nonNegativeInteger',
      'nif:anchorOf "They agreed to meet again.\\n" ;\n    nif:beginIndex "99"^^xsd:nonNegativeInteger ;\n    nif:endIndex "130"^^xsd:nonNegativeInteger',
    );
    const problems = await problemsOf(dir);
    expect(problems).toEqual([expect.stringMatching(/<http:\/\/127\.0\.0\.1:7878\/id\/text\/mini\/s03>: offsets 99\.\.130 are outside the source text \(0\.\.126\)$/)]);
  });

  it('names a membership without its interval', async () => {
    const problems = await problemsOf(brokenCopy('rdfs:label "Gamma"@en .', `rdfs:label "Gamma"@en .
  <membership/gamma-chair> a <http://www.w3.org/ns/org#Membership> ;
    rdfs:label "Gamma as chair"@en ;
    <http://www.w3.org/ns/org#member> <place/gamma> ;
    <http://www.w3.org/ns/org#organization> <place/gamma> ;
    <http://www.w3.org/ns/org#role> dip:ChairRole .`));
    expect(problems).toEqual([
      expect.stringMatching(/mini\.trig: <http:\/\/127\.0\.0\.1:7878\/id\/membership\/gamma-chair> http:\/\/www\.w3\.org\/ns\/org#memberDuring: a membership needs its interval: one org:memberDuring, a time:ProperInterval$/),
    ]);
  });

  it('names an action to come without its status or its object', async () => {
    const problems = await problemsOf(brokenCopy('rdfs:label "Gamma"@en .', `rdfs:label "Gamma"@en .
  <action/visit-gamma> a schema:Action ;
    rdfs:label "A visit to Gamma"@en .`));
    expect(problems.sort()).toEqual([
      expect.stringMatching(/<http:\/\/127\.0\.0\.1:7878\/id\/action\/visit-gamma> http:\/\/schema\.org\/actionStatus: an action needs one schema:actionStatus, such as schema:PotentialActionStatus$/),
      expect.stringMatching(/<http:\/\/127\.0\.0\.1:7878\/id\/action\/visit-gamma> http:\/\/schema\.org\/object: an action needs its schema:object, what it acts on$/),
    ]);
  });
});
