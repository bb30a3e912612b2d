// The interoperability profile: the graph answers questions asked with standard terms alone
// (schema.org, W3C ORG, SKOS, OWL, PROV), never with the project's own ontology.
import { describe, expect, it } from 'vitest';
import { rows, ask, id } from '../helpers/kg.ts';

const WIKIDATA = {
  Q318693: 'organization/csto', Q7779: 'organization/cis', Q485207: 'organization/sco',
  Q1065: 'organization/un', Q171328: 'document/un-charter', Q813: 'place/kyrgyzstan',
  Q863: 'place/tajikistan', Q399: 'place/armenia', Q889: 'place/afghanistan',
  Q9365: 'place/dushanbe', Q7204: 'place/middle-east', Q27381: 'place/north-africa',
};
const DATA_GRAPHS = `FILTER (?g NOT IN (<${id('graph/ontology')}>, <${id('graph/shapes')}>))`;

describe('interoperability profile (standard terms only)', () => {
  it('gives every typed entity of the data exactly one English rdfs:label', async () => {
    const offenders = await rows(`
      SELECT ?entity (COUNT(?label) AS ?labels) WHERE {
        { SELECT DISTINCT ?entity WHERE { GRAPH ?g { ?entity a ?type } ${DATA_GRAPHS} } }
        OPTIONAL { ?entity rdfs:label ?label FILTER (langMatches(lang(?label), "en")) }
      } GROUP BY ?entity HAVING (COUNT(?label) != 1)`);
    expect(offenders).toEqual([]);
    expect(await ask('ASK { ?x rdfs:label ?l FILTER (lang(?l) != "en") }')).toBe(false);
  });

  it('keeps the abbreviations and variants of the text as skos:altLabel', async () => {
    const altLabels = await rows(`SELECT ?label WHERE { ?x skos:altLabel ?label } ORDER BY ?label`);
    const labels = altLabels.map((row) => row.label);
    for (const label of ['CSTO', 'CIS', 'SCO', 'CFM', 'CMD', 'CSSS', 'UN', 'UN Charter', 'Kyrgyz Republic', 'Republic of Tajikistan', 'Republic of Armenia', 'Collective Rapid Reaction Force', 'CSTO Collective Security Council']) {
      expect(labels).toContain(label);
    }
  });

  it('links exactly the listed entities to Wikidata with owl:sameAs', async () => {
    const links = await rows(`SELECT ?entity ?wikidata WHERE { ?entity owl:sameAs ?wikidata } ORDER BY ?wikidata`);
    const expected = Object.entries(WIKIDATA)
      .map(([q, path]) => ({ entity: id(path), wikidata: `http://www.wikidata.org/entity/${q}` }))
      .sort((a, b) => a.wikidata.localeCompare(b.wikidata));
    expect(links).toEqual(expected);
  });

  it('types people, countries, cities, organizations and bodies with schema.org and ORG', async () => {
    const typed = async (type: string) => (await rows(`SELECT ?x WHERE { ?x a ${type} } ORDER BY ?x`)).map((row) => row.x);
    expect(await typed('schema:Person')).toEqual([id('person/ruslan-kazakbaev')]);
    expect(await typed('schema:Country')).toEqual(['afghanistan', 'armenia', 'kyrgyzstan', 'tajikistan'].map((c) => id(`place/${c}`)));
    expect(await typed('schema:City')).toEqual([id('place/dushanbe')]);
    const formal = await rows(`SELECT ?x WHERE { ?x a schema:Organization , org:FormalOrganization } ORDER BY ?x`);
    expect(formal.map((row) => row.x)).toEqual(['cis', 'csto', 'ministry-of-foreign-affairs-of-kyrgyzstan', 'sco', 'un'].map((o) => id(`organization/${o}`)));
    const units = await rows(`SELECT ?x WHERE { ?x a org:OrganizationalUnit ; org:unitOf/owl:sameAs wd:Q318693 } ORDER BY ?x`);
    expect(units.map((row) => row.x)).toEqual([
      'csto-collective-rapid-reaction-force', 'csto-collective-security-council',
      'csto-committee-of-secretaries-of-security-councils', 'csto-council-of-foreign-ministers',
      'csto-council-of-ministers-of-defense',
    ].map((o) => id(`organization/${o}`)));
  });

  it('describes the post with org:Post, org:heldBy and org:postIn', async () => {
    expect(await rows(`SELECT ?post ?holder ?in WHERE { ?post a org:Post ; org:heldBy ?holder ; org:postIn ?in }`)).toEqual([{
      post: id('post/minister-of-foreign-affairs-of-kyrgyzstan'),
      holder: id('person/ruslan-kazakbaev'),
      in: id('organization/ministry-of-foreign-affairs-of-kyrgyzstan'),
    }]);
    expect(await ask(`ASK { <${id('person/ruslan-kazakbaev')}> org:holds ?post }`)).toBe(true);
  });

  it('describes events with dates, places, attendees, organizers, sub-events and topics', async () => {
    const events = await rows(`
      SELECT ?event ?date ?place WHERE { ?event a schema:Event . OPTIONAL { ?event schema:startDate ?date } OPTIONAL { ?event schema:location/owl:sameAs ?place } }
      ORDER BY ?event`);
    expect(events).toEqual([
      { event: id('event/csto-chairmanship-transfer-2021') },
      { event: id('event/csto-collective-security-council-session-2021-09-16'), date: '2021-09-16', place: 'http://www.wikidata.org/entity/Q9365' },
      { event: id('event/csto-joint-session-2021-09-15'), date: '2021-09-15', place: 'http://www.wikidata.org/entity/Q9365' },
      { event: id('event/speech-of-ruslan-kazakbaev-2021-09-15') },
    ]);
    expect(await ask(`ASK { ?e schema:startDate ?d FILTER (datatype(?d) != xsd:date) }`)).toBe(false);
    expect(await rows(`SELECT ?sub WHERE { <${id('event/csto-joint-session-2021-09-15')}> schema:subEvent ?sub }`))
      .toEqual([{ sub: id('event/speech-of-ruslan-kazakbaev-2021-09-15') }]);
    expect(await rows(`SELECT ?super WHERE { <${id('event/csto-chairmanship-transfer-2021')}> schema:superEvent ?super }`))
      .toEqual([{ super: id('event/csto-collective-security-council-session-2021-09-16') }]);
    const organizers = await rows(`SELECT ?o WHERE { <${id('event/csto-joint-session-2021-09-15')}> schema:organizer ?o }`);
    expect(organizers).toHaveLength(3);
    const about = await rows(`SELECT ?topic WHERE { <${id('event/csto-joint-session-2021-09-15')}> schema:about/skos:prefLabel ?topic }`);
    expect(about).toHaveLength(4);
    expect(await rows(`SELECT ?who WHERE { ?speech schema:performer/rdfs:label ?who }`)).toEqual([{ who: 'Ruslan Kazakbaev' }]);
    expect(await rows(`SELECT ?state WHERE { ?transfer schema:participant/owl:sameAs ?state } ORDER BY ?state`)).toEqual([
      { state: 'http://www.wikidata.org/entity/Q399' }, { state: 'http://www.wikidata.org/entity/Q863' },
    ]);
  });

  it('gives documents a status that is a skos:Concept, and what they are about', async () => {
    const documents = await rows(`
      SELECT ?doc ?status WHERE { ?doc a schema:CreativeWork ; schema:creativeWorkStatus ?s . ?s a skos:Concept ; skos:prefLabel ?status }`);
    expect(documents).toHaveLength(10);
    expect(new Set(documents.map((row) => row.status))).toEqual(new Set(['signed', 'adopted', 'approved', 'planned']));
    const aboutMiddleEast = await rows(`SELECT ?doc WHERE { ?doc a schema:CreativeWork ; schema:about/owl:sameAs wd:Q7204 }`);
    expect(aboutMiddleEast).toEqual([{ doc: id('document/declaration-on-crisis-situations-in-the-middle-east-and-north-africa') }]);
    expect(await rows(`SELECT ?count WHERE { ?set schema:creativeWorkStatus ?s ; schema:numberOfItems ?count }`)).toEqual([{ count: '25' }]);
  });

  it('marks the source text as a schema:NewsArticle about the joint session', async () => {
    expect(await rows(`SELECT ?article ?about WHERE { ?article a schema:NewsArticle ; schema:about ?about }`)).toEqual([{
      article: id('text/csto-joint-session-2021-09-15'),
      about: id('event/csto-joint-session-2021-09-15'),
    }]);
  });

  it('names no state that the text does not name', async () => {
    const countries = await rows(`SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a schema:Country }`);
    expect(countries).toEqual([{ n: '4' }]);
    expect(await ask(`ASK { ?state a schema:Country ; org:memberOf ?org }`)).toBe(false);
  });
});
