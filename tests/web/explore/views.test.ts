// The exploration views over HTTP: the document view, the timeline and the network, their
// filters and errors, the Content-Security-Policy, and markup in texts and labels escaped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.ts';

const BASE = 'http://127.0.0.1:7878/id/';
const TEXT = '/page/text/csto-joint-session-2021-09-15';
const KAZAKBAEV = `${BASE}person/ruslan-kazakbaev`;

let server: TestServer;
let escaping: TestServer;
beforeAll(async () => {
  [server, escaping] = await Promise.all([startTestServer({ workers: 1 }), startTestServer({ workers: 1, dataDir: 'tests/fixtures/explore-escape' })]);
});
afterAll(() => Promise.all([server.close(), escaping.close()]));

const get = (target: TestServer, path: string) => fetch(`${target.url}${path}`);

describe('the document view', () => {
  it('shows every sentence of the text with the facts its graph states, in plain words', async () => {
    const response = await get(server, TEXT);
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body.match(/<li class="sentence[^"]*" id="s\d\d">/g)).toHaveLength(15);
    expect(body).toContain('Joint session of the CSTO Council of Foreign Ministers, Council of Ministers of Defense and Committee of Secretaries of the Security Councils, 15 September 2021</a> — attendee — <a href="/page/person/ruslan-kazakbaev">Ruslan Kazakbaev</a>');
    expect(body).toMatch(/<mark class="anchored" title="anchored: [^"]*">Tomorrow<\/mark>/);
    expect(body).toMatch(/<mark class="label-match" title="label match, not anchored in the data: Ruslan Kazakbaev">Ruslan Kazakbaev<\/mark>/);
    expect(body).toContain('<a href="/?query=');
  });

  it('marks a sentence no fact is drawn from', async () => {
    const body = await (await get(escaping, '/page/text/escape-2022-03-03')).text();
    expect(body).toMatch(/<li class="sentence no-facts" id="s03">[\s\S]*No facts are drawn from this sentence yet: a modelling gap\./);
  });

  it('is 404 for a text that does not exist', async () => {
    expect((await get(server, '/page/text/no-such-text')).status).toBe(404);
  });
});

describe('the timeline', () => {
  it('lists dated events in order, dates taken from the events they belong to, and the future of the text apart', async () => {
    const body = await (await get(server, '/timeline')).text();
    const fifteenth = body.indexOf('<time datetime="2021-09-15">');
    const sixteenth = body.indexOf('<time datetime="2021-09-16">');
    expect(fifteenth).toBeGreaterThan(0);
    expect(sixteenth).toBeGreaterThan(fifteenth);
    const later = body.slice(sixteenth);
    expect(later).toMatch(/<li class="item planned">\s*<span class="badge planned">planned or pending<\/span>\s*<a href="\/page\/action\/endorsement-of-documents-by-heads-of-state-2021-09-16">/);
    expect(later).toMatch(/<li class="item planned">[\s\S]*?Transfer of the CSTO chairmanship[\s\S]*?future of the text \(published 2021-09-15\)[\s\S]*?dated by the event it is part of/);
    expect(body.slice(fifteenth, sixteenth)).toMatch(/<li class="item took-place">/);
    expect(body).toMatch(/href="\/page\/text\/csto-joint-session-2021-09-15#s\d\d">evidence<\/a>/);
  });

  it('filters by person: only what Ruslan Kazakbaev is linked to', async () => {
    const body = await (await get(server, `/timeline?person=${encodeURIComponent(KAZAKBAEV)}`)).text();
    expect(body).toContain('Speech of Ruslan Kazakbaev at the joint session');
    expect(body).not.toContain('<time datetime="2021-09-16">');
    expect(body).toMatch(/<option value="http:\/\/127\.0\.0\.1:7878\/id\/person\/ruslan-kazakbaev" selected>Ruslan Kazakbaev<\/option>/);
  });

  it('refuses a filter that is not an IRI, or given twice', async () => {
    expect((await get(server, '/timeline?country=not%20an%20iri')).status).toBe(400);
    expect((await get(server, `/timeline?person=${encodeURIComponent(KAZAKBAEV)}&person=${encodeURIComponent(KAZAKBAEV)}`)).status).toBe(400);
  });
});

describe('the network', () => {
  it('shows the neighbourhood of an entity as data for the diagram and as a table', async () => {
    const body = await (await get(server, `/network?focus=${encodeURIComponent(KAZAKBAEV)}`)).text();
    const data = JSON.parse(/<script type="application\/json" id="network-data">(.*?)<\/script>/s.exec(body)![1]!) as { edges: Array<{ source: string; target: string; label: string }> };
    expect(data.edges).toContainEqual({ source: `${BASE}event/csto-joint-session-2021-09-15`, target: KAZAKBAEV, label: 'attendee' });
    expect(body).toMatch(/<caption>Links around Ruslan Kazakbaev<\/caption>/);
    expect(body).toContain('<script src="/ui/vendor/cytoscape.min.js" defer></script>');
  });

  it('starts from the most connected event without a focus, and refuses other step counts', async () => {
    expect(await (await get(server, '/network')).text()).toMatch(/<h1>Network around [^<]+<\/h1>/);
    expect((await get(server, '/network?hops=3')).status).toBe(400);
  });

  it('is on every entity page, with the sentences that name the entity', async () => {
    const body = await (await get(server, '/page/person/ruslan-kazakbaev')).text();
    expect(body).toContain('<h2>Network</h2>');
    expect(body).toContain('id="network-data"');
    expect(body).toMatch(/href="\/page\/text\/csto-joint-session-2021-09-15#s\d\d">in the text<\/a>/);
    const place = await (await get(server, '/page/time/2021-09-16')).text();
    expect(place).toMatch(/<h2>Named in the texts<\/h2>\s*<ul class="mentions"><li><a href="\/page\/text\/csto-joint-session-2021-09-15#s\d\d">/);
  });
});

describe('safety of the pages', () => {
  it.each([TEXT, '/timeline', '/network', '/page/person/ruslan-kazakbaev', '/', '/queries'])('%s carries a strict Content-Security-Policy', async (path) => {
    const response = await get(server, path);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    expect(await response.text()).not.toMatch(/<style|style="|<script>(?!\s*$)|onerror=/);
  });

  it.each(['/page/text/escape-2022-03-03', '/timeline', `/network?focus=${encodeURIComponent(`${BASE}event/escape-meeting`)}`, '/page/event/escape-meeting'])('%s shows markup from texts and labels as text', async (path) => {
    const body = await (await get(escaping, path)).text();
    expect(body).not.toContain('<script>alert');
    expect(body).not.toContain('<img src=x');
    expect(body).toContain('&lt;script&gt;alert(');
  });
});
