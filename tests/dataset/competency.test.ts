// Competency questions a consumer asks with the standard vocabularies alone (schema.org, ORG, PROV,
// SKOS, Dublin Core, OWL-Time; no dip: term), each with the exact answer the text gives.
// ontology/PROFILE.md tells which standard terms carry each kind of fact.
import { describe, expect, it } from 'vitest';
import { ask, id, rows } from '../helpers/kg.ts';

/** Runs a query that uses no term of the project's own ontology. */
async function standard(query: string): Promise<Array<Record<string, string>>> {
  expect(query).not.toMatch(/dip:|diplomacy-kg\/ns/);
  return rows(query);
}

describe('competency questions in standard terms', () => {
  it('who chaired the CSTO before the transfer, and who after', async () => {
    expect(await standard(`
      SELECT ?before ?after ?transfer WHERE {
        ?old a org:Membership ; org:organization ?csto ; org:role/skos:prefLabel "chair"@en ;
             org:member/rdfs:label ?before ; prov:wasInvalidatedBy ?transfer ; org:memberDuring ?oldTerm .
        ?new a org:Membership ; org:organization ?csto ; org:role/skos:prefLabel "chair"@en ;
             org:member/rdfs:label ?after ; prov:wasGeneratedBy ?transfer ; org:memberDuring ?newTerm .
        ?oldTerm time:intervalMeets ?newTerm .
        ?csto owl:sameAs wd:Q318693 .
      }`)).toEqual([{ before: 'Tajikistan', after: 'Armenia', transfer: id('event/csto-chairmanship-transfer-2021') }]);
  });

  it('which body adopted the joint declarations, and that the 25 signed documents have no named signer', async () => {
    expect(await standard(`
      SELECT DISTINCT ?body WHERE {
        ?declaration dcterms:type/skos:prefLabel "joint declaration"@en ; prov:wasAttributedTo ?adopters .
        ?adopters org:memberOf/rdfs:label ?body .
      }`)).toEqual([{ body: 'Council of Foreign Ministers of the CSTO' }]);
    expect(await ask(`ASK { ?set schema:numberOfItems 25 ; prov:wasAttributedTo ?anyone }`)).toBe(false);
    expect(await standard(`SELECT ?n WHERE { ?set schema:numberOfItems ?n ; schema:creativeWorkStatus/skos:prefLabel "signed"@en }`)).toEqual([{ n: '25' }]);
  });

  it('which topic was given particular attention, told apart from those only discussed', async () => {
    const topics = await standard(`
      SELECT ?role ?topic WHERE {
        ?event schema:startDate "2021-09-15"^^xsd:date ;
               prov:qualifiedUsage [ prov:entity/skos:prefLabel ?topic ; prov:hadRole/skos:prefLabel ?role ] .
      } ORDER BY ?role ?topic`);
    expect(topics).toEqual([
      { role: 'agreed to', topic: 'Intensify further interaction of the CSTO member states in all areas of mutual interest' },
      { role: 'discussed', topic: 'Enhanced cooperation between the CSTO and the CIS, the SCO and other international organizations' },
      { role: 'discussed', topic: 'State and prospects for the development of the international and regional situation' },
      { role: 'particular attention', topic: 'Current situation in Afghanistan and its impact on the security of the CSTO member states' },
    ]);
    const speech = await standard(`
      SELECT ?role (COUNT(?topic) AS ?n) WHERE {
        ?speech schema:superEvent ?event ; prov:qualifiedUsage [ prov:entity ?topic ; prov:hadRole/skos:prefLabel ?role ] .
      } GROUP BY ?role ORDER BY ?role`);
    expect(speech).toEqual([{ role: 'drew attention to', n: '3' }, { role: 'emphasized', n: '1' }]);
  });

  it('tells a joint declaration from a statement, and that the list of declarations is partial', async () => {
    expect(await standard(`
      SELECT ?kind (COUNT(?document) AS ?n) WHERE { ?document a schema:CreativeWork ; dcterms:type/skos:prefLabel ?kind }
      GROUP BY ?kind ORDER BY ?kind`)).toEqual([
      { kind: 'joint declaration', n: '4' },
      { kind: 'partial list', n: '1' },
      { kind: 'statement', n: '2' },
    ]);
    expect(await standard(`
      SELECT (COUNT(?named) AS ?n) WHERE { ?set dcterms:type/skos:prefLabel "partial list"@en ; schema:hasPart ?named }`)).toEqual([{ n: '4' }]);
  });

  it('keeps the endorsement and the border statement as actions still to come, not as done', async () => {
    expect(await standard(`
      SELECT ?action ?agent ?object ?at WHERE {
        ?action a schema:Action ; schema:actionStatus schema:PotentialActionStatus ; schema:object/rdfs:label ?object .
        OPTIONAL { ?action schema:agent/rdfs:label ?agent }
        OPTIONAL { ?event schema:potentialAction ?action ; rdfs:label ?at }
      } ORDER BY ?action`)).toEqual([
      {
        action: id('action/adoption-of-statement-on-confidence-building-in-the-border-area'),
        object: 'Statement on Confidence Building in the Border Area of the CSTO Member States',
      },
      {
        action: id('action/endorsement-of-documents-by-heads-of-state-2021-09-16'),
        agent: 'Heads of state of the CSTO member states',
        object: 'Documents to be submitted for endorsement by the heads of state at the upcoming session of the CSTO Collective Security Council, approved at the joint meeting',
        at: 'Session of the CSTO Collective Security Council, 16 September 2021',
      },
    ]);
    expect(await ask(`ASK { ?action schema:actionStatus schema:CompletedActionStatus }`)).toBe(false);
  });

  it('dates the article by the sentence that implies its date, and names no publisher', async () => {
    expect(await standard(`
      SELECT ?date ?evidence WHERE {
        GRAPH ?g { ?article schema:dateCreated ?date }
        ?article a schema:NewsArticle .
        ?g prov:wasDerivedFrom/nif:anchorOf ?evidence .
      }`)).toEqual([{ date: '2021-09-15', evidence: expect.stringMatching(/^Tomorrow, September 16, 2021, /) }]);
    expect(await ask(`ASK { ?article a schema:NewsArticle ; schema:publisher ?anyone }`)).toBe(false);
  });

  it('makes the acting states agents, and the ministry part of its state', async () => {
    expect(await standard(`
      SELECT ?state WHERE { ?c a schema:Country , foaf:Agent ; rdfs:label ?state } ORDER BY ?state`))
      .toEqual([{ state: 'Armenia' }, { state: 'Kyrgyzstan' }, { state: 'Tajikistan' }]);
    expect(await standard(`
      SELECT ?ministry WHERE { ?m org:subOrganizationOf/owl:sameAs wd:Q813 ; schema:parentOrganization ?state ; rdfs:label ?ministry }`))
      .toEqual([{ ministry: 'Ministry of Foreign Affairs of the Kyrgyz Republic' }]);
  });

  it('keeps every label in the graph of a sentence that states what it says', async () => {
    const labelGraph = async (entity: string) => (await rows(`
      SELECT ?g WHERE { GRAPH ?g { <${id(entity)}> rdfs:label ?label } }`)).map((row) => row.g);
    expect(await labelGraph('event/csto-joint-session-2021-09-15')).toEqual([id('graph/csto-joint-session-2021-09-15/s02')]);
    expect(await labelGraph('event/csto-collective-security-council-session-2021-09-16')).toEqual([id('graph/csto-joint-session-2021-09-15/s15')]);
    // A label naming a date stands only in a graph whose sentence gives that date.
    const misplaced = await rows(`
      SELECT ?entity ?label WHERE {
        GRAPH ?g { ?entity rdfs:label ?label FILTER (CONTAINS(?label, "September 2021")) }
        ?g prov:wasDerivedFrom/nif:anchorOf ?sentence .
        FILTER (!CONTAINS(?sentence, "September 15, 2021") && !CONTAINS(?sentence, "September 16, 2021"))
      }`);
    expect(misplaced).toEqual([]);
  });

  it('files anniversaries under their own IRIs, not under topics', async () => {
    expect(await ask(`ASK { ?a a dip:Anniversary FILTER STRSTARTS(STR(?a), "${id('topic/')}") }`)).toBe(false);
    expect(await ask(`ASK { <${id('anniversary/30th-anniversary-of-cis')}> skos:prefLabel "30th anniversary of the CIS"@en }`)).toBe(true);
  });
});
