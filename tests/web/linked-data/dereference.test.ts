// Dereferenceable IRIs: 303 from /id/ to /page/ or /data/, RDF descriptions with provenance,
// HTML pages with evidence sentences, the ontology at /ns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Store } from 'n3';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { parseRdf } from '../../helpers/rdf.ts';
import { rows } from '../../helpers/kg.ts';
import { PREFIXES } from '../../../src/core/namespaces.ts';

const BASE = 'http://127.0.0.1:7878/id/';
const PERSON = 'person/ruslan-kazakbaev';
const TRANSFER = 'event/csto-chairmanship-transfer-2021';
const S15 = 'Tomorrow, September 16, 2021, the next session of the CSTO Collective Security Council will take place in Dushanbe, on the outcome of which the chairmanship of the Organization for the next intersessional period will be transferred from the Republic of Tajikistan to the Republic of Armenia.';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const get = (path: string, accept?: string) => fetch(`${server.url}${path}`, { redirect: 'manual', headers: accept ? { accept } : {} });

describe('/id/ answers 303 See Other, like DBpedia', () => {
  it.each([
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', `/page/${PERSON}`],
    ['text/turtle', `/data/${PERSON}`],
    ['application/ld+json', `/data/${PERSON}`],
    ['application/rdf+xml;q=0.9, text/html;q=0.5', `/data/${PERSON}`],
    [undefined, `/page/${PERSON}`],
  ])('Accept %s goes to %s', async (accept, location) => {
    const response = await get(`/id/${PERSON}`, accept);
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get('location')!, server.url).pathname).toBe(location);
    expect(response.headers.get('vary')).toContain('Accept');
  });

  it('answers 404 for an IRI the graph knows nothing about', async () => {
    const response = await get('/id/person/nobody', 'text/html');
    expect(response.status).toBe(404);
    expect(await response.text()).toBe(`no resource ${BASE}person/nobody\n`);
  });

  it('answers 406 when neither HTML nor RDF is acceptable', async () => {
    const response = await get(`/id/${PERSON}`, 'image/png');
    expect(response.status).toBe(406);
  });
});

describe('/data/ serves the description with the provenance of each fact', () => {
  it.each([
    ['text/turtle', 'text/turtle'],
    ['application/ld+json', 'application/ld+json'],
    ['application/n-triples', 'application/n-triples'],
    ['application/rdf+xml', 'application/rdf+xml'],
  ])('by Accept %s', async (accept, type) => {
    const response = await get(`/data/${TRANSFER}`, accept);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')!.startsWith(type)).toBe(true);
    const store = new Store(await parseRdf(await response.text(), response.headers.get('content-type')!));
    expect(store.getObjects(`${BASE}${TRANSFER}`, `${PREFIXES.dip}nextChair`, null).map((t) => t.value)).toEqual([`${BASE}place/armenia`]);
  });

  it.each([['ttl', 'text/turtle'], ['jsonld', 'application/ld+json'], ['nt', 'application/n-triples'], ['rdf', 'application/rdf+xml']])('by extension .%s', async (extension, type) => {
    const response = await get(`/data/${TRANSFER}.${extension}`, 'text/html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')!.startsWith(type)).toBe(true);
  });

  it('holds outgoing facts, incoming links, and for each fact its sentence', async () => {
    const response = await get(`/data/${TRANSFER}.ttl`);
    const store = new Store(await parseRdf(await response.text(), 'text/turtle'));
    const transfer = `${BASE}${TRANSFER}`;
    const outgoing = await rows(`SELECT DISTINCT ?p ?o WHERE { <${transfer}> ?p ?o }`);
    for (const { p, o } of outgoing) expect(store.getQuads(transfer, p!, null, null).map((q) => q.object.value)).toContain(o);
    // Incoming: the session has the transfer as a sub-event.
    expect(store.getSubjects(`${PREFIXES.schema}subEvent`, transfer, null).map((t) => t.value)).toEqual([`${BASE}event/csto-collective-security-council-session-2021-09-16`]);
    // Provenance: the statement of "next chair Armenia" was derived from sentence 15, quoted.
    const [statement] = store.getSubjects(`${PREFIXES.rdf}predicate`, `${PREFIXES.dip}nextChair`, null);
    expect(store.getObjects(statement!, `${PREFIXES.rdf}type`, null).map((t) => t.value)).toEqual([`${PREFIXES.rdf}Statement`]);
    const [sentence] = store.getObjects(statement!, `${PREFIXES.prov}wasDerivedFrom`, null);
    expect(sentence!.value).toBe(`${BASE}text/csto-joint-session-2021-09-15/s15`);
    expect(store.getObjects(sentence!, `${PREFIXES.nif}anchorOf`, null).map((t) => t.value)).toEqual([S15]);
  });

  it('answers 404 for an unknown resource and 406 for nothing acceptable', async () => {
    expect((await get('/data/person/nobody.ttl')).status).toBe(404);
    expect((await get(`/data/${PERSON}`, 'image/png')).status).toBe(406);
  });
});

describe('/page/ is the HTML view', () => {
  it('shows the label, types, properties with links, external links and the evidence sentences', async () => {
    const response = await get(`/page/${TRANSFER}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('<h1>Transfer of the CSTO chairmanship from Tajikistan to Armenia</h1>');
    expect(text).toContain('<a href="/ns#ChairmanshipTransfer">chairmanship transfer</a>');
    expect(text).toContain('<a href="/page/place/armenia">Armenia</a>');
    expect(text).toContain(`<blockquote class="evidence">“${S15}”`);
    expect(text).toContain('<a href="/page/event/csto-collective-security-council-session-2021-09-16">Session of the CSTO Collective Security Council, 16 September 2021</a>');
  });

  it('links to Wikidata for owl:sameAs', async () => {
    const text = await (await get('/page/place/armenia')).text();
    expect(text).toContain('<a href="http://www.wikidata.org/entity/Q399">');
    expect(text).toContain('Links to this resource');
  });

  it('lists the sub-events of an event in date order', async () => {
    const text = await (await get('/page/event/csto-collective-security-council-session-2021-09-16')).text();
    expect(text).toMatch(/<ol class="sub-events"><li><span class="muted">no date of its own<\/span> — <a href="\/page\/event\/csto-chairmanship-transfer-2021">/);
  });

  it('answers 404 with an HTML page for an unknown resource', async () => {
    const response = await get('/page/person/nobody');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('The graph says nothing about <code>http://127.0.0.1:7878/id/person/nobody</code>');
  });
});

describe('the ontology at /ns', () => {
  it('documents every class and property of the ontology, generated from it', async () => {
    const response = await get('/ns', 'text/html');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const text = await response.text();
    const terms = await rows(`SELECT ?t WHERE { GRAPH <${BASE}graph/ontology> { ?t a ?k VALUES ?k { owl:Class owl:ObjectProperty owl:DatatypeProperty } FILTER STRSTARTS(STR(?t), "${PREFIXES.dip}") } }`);
    expect(terms.length).toBeGreaterThan(30);
    for (const { t } of terms) expect(text).toContain(`id="${t!.slice(PREFIXES.dip.length)}"`);
    expect(text).toContain('The handover of the chairmanship of an organization from one member to another for a term.');
  });

  it('is Turtle for machines, the triples of the ontology graph', async () => {
    const response = await get('/ns', 'text/turtle');
    expect(response.headers.get('content-type')).toBe('text/turtle; charset=utf-8');
    const quads = await parseRdf(await response.text(), 'text/turtle');
    const [count] = await rows(`SELECT (COUNT(*) AS ?n) WHERE { GRAPH <${BASE}graph/ontology> { ?s ?p ?o } }`);
    expect(quads.length).toBe(Number(count!.n));
    expect((await get('/ns.ttl')).headers.get('content-type')).toBe('text/turtle; charset=utf-8');
  });
});

describe('HTML escaping', () => {
  let hostile: TestServer;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-markup-'));
    cpSync('tests/fixtures/mini', dir, { recursive: true });
    const file = join(dir, 'mini.trig');
    writeFileSync(file, readFileSync(file, 'utf8').replace('rdfs:label "Gamma"@en', 'rdfs:label "Gamma <script>alert(1)</script> & <b>bold</b>"@en'));
    hostile = await startTestServer({ dataDir: dir });
  });
  afterAll(() => hostile.close());

  it('shows a literal containing markup as text', async () => {
    const text = await (await fetch(`${hostile.url}/page/place/gamma`)).text();
    expect(text).not.toContain('<script>alert(1)</script>');
    expect(text).not.toContain('<b>bold</b>');
    expect(text).toContain('<h1>Gamma &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</h1>');
  });
});
