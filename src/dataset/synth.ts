// A deterministic synthetic corpus in the layout of data/: press-release-like texts (SLUG.txt) and
// their RDF (SLUG.trig: the text graph with NIF offsets, one graph per sentence, phrases anchoring
// the names they mention), under the same ontology and shapes as the real data. Entities recur
// across texts as they do in the news: the same ministers, organizations and cities over years.
// For load and scale measurements, and for pages that must cope with more than one text.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SynthOptions {
  /** About this many triples in all (texts are added until it is reached). */
  triples: number;
  seed: number;
  out: string;
  /** Called after each text with the counts so far. */
  onProgress?: (done: { texts: number; triples: number }) => void;
}

interface Entity {
  slug: string;
  label: string;
}

interface Country extends Entity {
  minister: Entity;
  ministry: Entity;
  post: Entity;
  capital: Entity;
}

interface Organization extends Entity {
  council: Entity;
  short: string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const TOPICS = ['regional security', 'border cooperation', 'trade and transit', 'water and energy', 'migration', 'counter-terrorism',
  'cyber security', 'humanitarian aid', 'cultural exchange', 'transport corridors', 'public health', 'climate adaptation'];
const DOCUMENT_KINDS = ['Joint Statement', 'Protocol', 'Memorandum of Understanding', 'Plan of Consultations', 'Declaration'];

/** Writes the corpus; returns how many texts and triples it holds. */
export function synthesizeCorpus(options: SynthOptions): { texts: number; triples: number } {
  const random = mulberry32(options.seed);
  const pools = entityPools(random, options.triples);
  mkdirSync(options.out, { recursive: true });
  let triples = 0;
  let texts = 0;
  while (triples < options.triples) {
    const text = pressRelease(random, pools, texts);
    writeFileSync(join(options.out, `${text.slug}.txt`), text.text);
    writeFileSync(join(options.out, `${text.slug}.trig`), text.trig);
    triples += text.triples;
    texts++;
    options.onProgress?.({ texts, triples });
  }
  return { texts, triples };
}

/** Countries, organizations and people: sized so that each recurs in many texts. */
function entityPools(random: () => number, triples: number): { countries: Country[]; organizations: Organization[] } {
  const texts = Math.max(1, Math.round(triples / 1000));
  const names = new Set<string>();
  const fresh = (syllables: number) => {
    for (;;) {
      const name = properName(random, syllables);
      if (!names.has(name)) {
        names.add(name);
        return name;
      }
    }
  };
  const countries = Array.from({ length: Math.min(60, 8 + Math.ceil(texts / 10)) }, () => {
    const name = fresh(3);
    const slug = slugOf(name);
    const person = `${fresh(2)} ${fresh(3)}`;
    const capital = fresh(2);
    return {
      slug, label: name,
      minister: { slug: slugOf(person), label: person },
      ministry: { slug: `ministry-of-foreign-affairs-of-${slug}`, label: `Ministry of Foreign Affairs of ${name}` },
      post: { slug: `minister-of-foreign-affairs-of-${slug}`, label: `Minister of Foreign Affairs of ${name}` },
      capital: { slug: slugOf(capital), label: capital },
    };
  });
  const organizations = Array.from({ length: Math.min(20, 3 + Math.ceil(texts / 50)) }, () => {
    const name = `${fresh(2)} Cooperation Organization`;
    const short = name.split(' ').map((word) => word[0]).join('');
    const slug = slugOf(name);
    return { slug, label: name, short, council: { slug: `${slug}-council-of-foreign-ministers`, label: `Council of Foreign Ministers of the ${name}` } };
  });
  return { countries, organizations };
}

interface Sentence {
  text: string;
  /** Turtle statements for the sentence's own graph. */
  facts: string[];
  /** Names the sentence mentions, with the IRI each one refers to. */
  mentions: Array<{ phrase: string; iri: string }>;
}

/** One text: about a session of an organization's council, its attendees, topics, documents and the next session. */
function pressRelease(random: () => number, pools: { countries: Country[]; organizations: Organization[] }, index: number):
  { slug: string; text: string; trig: string; triples: number } {
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const organization = pick(pools.organizations);
  const host = pick(pools.countries);
  const reporter = pick(pools.countries.filter((country) => country !== host));
  const guests = shuffle(random, pools.countries.filter((c) => c !== host && c !== reporter)).slice(0, 4 + Math.floor(random() * 3));
  const year = 2012 + Math.floor(random() * 12);
  const month = Math.floor(random() * 12);
  const day = 1 + Math.floor(random() * 28);
  const iso = `${year}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const slug = `synthetic-${iso}-${String(index).padStart(5, '0')}`;
  const session = `event/${organization.slug}-session-${iso}-${index}`;
  const sessionLabel = `Session of the ${organization.council.label}, ${day} ${MONTHS[month]} ${year}`;
  const minister = (country: Country) => `${country.post.label} ${country.minister.label}`;
  const sentences: Sentence[] = [
    {
      text: `${reporter.minister.label} took part in a session of the ${organization.council.label}`,
      facts: [`<${session}> schema:attendee <person/${reporter.minister.slug}> .`],
      mentions: [{ phrase: reporter.minister.label, iri: `person/${reporter.minister.slug}` }, { phrase: organization.council.label, iri: `organization/${organization.council.slug}` }],
    },
    {
      text: `On ${MONTHS[month]} ${day}, ${year}, in the city of ${host.capital.label}, the ${minister(reporter)} took part in a session of the ${organization.council.label}.`,
      facts: [
        `<${session}> a dip:Session ; rdfs:label ${literal(sessionLabel)}@en ; schema:startDate "${iso}"^^xsd:date ;
          schema:location <place/${host.capital.slug}> ; schema:organizer <organization/${organization.council.slug}> ;
          schema:attendee <person/${reporter.minister.slug}> .`,
        ...placeFacts(host), ...ministerFacts(reporter), ...organizationFacts(organization),
      ],
      mentions: [{ phrase: host.capital.label, iri: `place/${host.capital.slug}` }, { phrase: reporter.minister.label, iri: `person/${reporter.minister.slug}` },
        { phrase: organization.council.label, iri: `organization/${organization.council.slug}` }],
    },
    ...guests.map((guest): Sentence => ({
      text: `The session was also attended by the ${minister(guest)}.`,
      facts: [`<${session}> schema:attendee <person/${guest.minister.slug}> .`, ...ministerFacts(guest)],
      mentions: [{ phrase: guest.minister.label, iri: `person/${guest.minister.slug}` }],
    })),
    ...[reporter, ...guests].map((speaker, n): Sentence => {
      const topic = pick(TOPICS);
      const speech = `${session}/speech-${n + 1}`;
      return {
        text: `In a speech, ${speaker.minister.label} spoke about ${topic}.`,
        facts: [`<${speech}> a dip:Speech ; rdfs:label ${literal(`Speech of ${speaker.minister.label} on ${topic}, ${iso}`)}@en ;
          dip:speaker <person/${speaker.minister.slug}> ; schema:superEvent <${session}> ; dip:discussed <topic/${slugOf(topic)}> .`,
          `<topic/${slugOf(topic)}> a dip:Topic ; rdfs:label ${literal(capitalized(topic))}@en ; skos:prefLabel ${literal(capitalized(topic))}@en .`],
        mentions: [{ phrase: speaker.minister.label, iri: `person/${speaker.minister.slug}` }],
      };
    }),
    ...shuffle(random, TOPICS).slice(0, 5).map((topic): Sentence => ({
      text: `The ministers discussed ${topic} in the region.`,
      facts: [`<${session}> dip:discussed <topic/${slugOf(topic)}> .`,
        `<topic/${slugOf(topic)}> a dip:Topic ; rdfs:label ${literal(capitalized(topic))}@en ; skos:prefLabel ${literal(capitalized(topic))}@en .`],
      mentions: [],
    })),
    ...Array.from({ length: 1 + Math.floor(random() * 4) }, (_, n): Sentence => {
      const kind = pick(DOCUMENT_KINDS);
      const document = `document/${slug}-${n + 1}`;
      const label = `${kind} of the ${organization.council.label} on ${pick(TOPICS)}, ${year}`;
      return {
        text: `Following the session, the ministers signed the ${label}.`,
        facts: [`<${document}> a dip:DiplomaticDocument ; rdfs:label ${literal(label)}@en ; schema:creativeWorkStatus dip:Signed ; dip:signedAt <${session}> .`],
        mentions: [],
      };
    }),
    {
      text: `The next session of the ${organization.council.label} will be held in ${guests[0]!.capital.label} in ${MONTHS[(month + 6) % 12]} ${year + (month + 6 >= 12 ? 1 : 0)}.`,
      facts: [
        `<${session}-next> a dip:Session ; rdfs:label ${literal(`Next session of the ${organization.council.label} after ${iso}`)}@en ;
          schema:startDate "${year + (month + 6 >= 12 ? 1 : 0)}-${String(((month + 6) % 12) + 1).padStart(2, '0')}-01"^^xsd:date ;
          schema:location <place/${guests[0]!.capital.slug}> ; schema:organizer <organization/${organization.council.slug}> .`,
        ...placeFacts(guests[0]!),
      ],
      mentions: [{ phrase: guests[0]!.capital.label, iri: `place/${guests[0]!.capital.slug}` }],
    },
  ];
  return renderText(slug, sentences);
}

function placeFacts(country: Country): string[] {
  return [`<place/${country.capital.slug}> a schema:City ; rdfs:label ${literal(country.capital.label)}@en .`,
    `<place/${country.slug}> a schema:Country ; rdfs:label ${literal(country.label)}@en .`];
}

function ministerFacts(country: Country): string[] {
  return [
    `<person/${country.minister.slug}> a schema:Person ; rdfs:label ${literal(country.minister.label)}@en .`,
    `<post/${country.post.slug}> a org:Post ; rdfs:label ${literal(country.post.label)}@en ; org:postIn <organization/${country.ministry.slug}> ; org:heldBy <person/${country.minister.slug}> .`,
    `<organization/${country.ministry.slug}> a dip:Ministry ; rdfs:label ${literal(country.ministry.label)}@en .`,
  ];
}

function organizationFacts(organization: Organization): string[] {
  return [
    `<organization/${organization.slug}> a dip:InternationalOrganization ; rdfs:label ${literal(organization.label)}@en ; skos:altLabel ${literal(organization.short)}@en .`,
    `<organization/${organization.council.slug}> a dip:Council ; rdfs:label ${literal(organization.council.label)}@en ; org:unitOf <organization/${organization.slug}> .`,
  ];
}

/** The text and its TriG: the text graph (sentences and phrases with their offsets) and one graph per sentence. */
function renderText(slug: string, sentences: Sentence[]): { slug: string; text: string; trig: string; triples: number } {
  const [title, ...body] = sentences;
  const text = `${title!.text}\n\n${body.map((s) => s.text).join(' ')}\n`;
  let cursor = 0;
  const placed = sentences.map((sentence, i) => {
    const begin = i === 0 ? 0 : text.indexOf(sentence.text, cursor);
    cursor = begin + sentence.text.length;
    return { ...sentence, begin, end: cursor, id: `s${String(i + 1).padStart(2, '0')}` };
  });
  const lines: string[] = [PREFIXES, `<graph/${slug}> {`,
    `  <graph/${slug}> a prov:Entity ; rdfs:label ${literal(`The text and sentences of ${slug}`)}@en ; prov:wasDerivedFrom <text/${slug}> .`,
    `  <text/${slug}> a schema:NewsArticle , nif:Context ; rdfs:label ${literal(title!.text)}@en ; schema:headline ${literal(title!.text)}@en ; schema:inLanguage "en" .`];
  let triples = 8;
  for (const sentence of placed) {
    lines.push(`  <text/${slug}/${sentence.id}> a nif:Sentence ; rdfs:label ${literal(`Sentence ${sentence.id.slice(1)} of ${slug}`)}@en ;
    nif:anchorOf ${literal(sentence.text)} ; nif:beginIndex ${sentence.begin} ; nif:endIndex ${sentence.end} ; nif:referenceContext <text/${slug}> .
  <graph/${slug}/${sentence.id}> a prov:Entity ; rdfs:label ${literal(`Facts stated by sentence ${sentence.id.slice(1)} of ${slug}`)}@en ; prov:wasDerivedFrom <text/${slug}/${sentence.id}> .`);
    triples += 9;
    for (const mention of sentence.mentions) {
      const begin = text.indexOf(mention.phrase, sentence.begin);
      const end = begin + mention.phrase.length;
      lines.push(`  <text/${slug}/char-${begin}-${end}> a nif:Phrase ; rdfs:label ${literal(`"${mention.phrase}" in sentence ${sentence.id.slice(1)} of ${slug}`)}@en ;
    nif:anchorOf ${literal(mention.phrase)} ; nif:beginIndex ${begin} ; nif:endIndex ${end} ; nif:referenceContext <text/${slug}> ;
    nif:sentence <text/${slug}/${sentence.id}> ; itsrdf:taIdentRef <${mention.iri}> .`);
      triples += 8;
    }
  }
  lines.push('}');
  for (const sentence of placed) {
    lines.push(`<graph/${slug}/${sentence.id}> {`, ...sentence.facts.map((fact) => `  ${fact}`), '}');
    triples += sentence.facts.reduce((sum, fact) => sum + statementsIn(fact), 0);
  }
  return { slug, text, trig: `${lines.join('\n')}\n`, triples };
}

const PREFIXES = `# A synthetic press release written by \`kg synth\`: invented names, for load and scale measurements.
@prefix dip: <https://w3id.org/diplomacy-kg/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <http://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix itsrdf: <http://www.w3.org/2005/11/its/rdf#> .
`;

/** Triples in one Turtle statement: one per predicate-object pair (`;` and `,` separated; none inside literals here). */
function statementsIn(statement: string): number {
  const outsideLiterals = statement.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return 1 + (outsideLiterals.match(/[;,]/g)?.length ?? 0);
}

function literal(value: string): string {
  return JSON.stringify(value);
}

function slugOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function capitalized(text: string): string {
  return text[0]!.toUpperCase() + text.slice(1);
}

const CONSONANTS = ['b', 'd', 'g', 'k', 'l', 'm', 'n', 'r', 's', 't', 'v', 'z', 'sh', 'kh'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai'];

function properName(random: () => number, syllables: number): string {
  let name = '';
  for (let i = 0; i < syllables; i++) name += CONSONANTS[Math.floor(random() * CONSONANTS.length)]! + VOWELS[Math.floor(random() * VOWELS.length)]!;
  return name[0]!.toUpperCase() + name.slice(1);
}

function shuffle<T>(random: () => number, items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** A small, fast, seedable PRNG: the same seed gives the same corpus on every machine. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
