// The server facing the public: hostile query shapes, huge results, runaway queries, slow clients,
// bad input and a busy port each end in a clear answer or exit, never a freeze, a 500 or a hang.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, createServer, type Socket } from 'node:net';
import { RUNAWAY, LIGHT } from '../helpers/queries.ts';
import { startTestServer, getQuery, type TestServer } from '../helpers/server.ts';
import { spawnServer } from '../helpers/child-server.ts';
import { runKg } from '../helpers/cli.ts';
import { QueryPool } from '../../src/engine/embedded/query-pool.ts';

const nested = (depth: number) => `SELECT * WHERE ${'{'.repeat(depth)} ?s ?p ?o ${'}'.repeat(depth)}`;

/** Sends raw bytes and resolves with everything the server answered once it closes the connection. */
function rawExchange(port: number, start: string, drip?: { byte: string; everyMs: number }): { socket: Socket; answer: Promise<string>; received: (text: string) => Promise<void> } {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  let timer: NodeJS.Timeout | undefined;
  const watchers: Array<{ text: string; resolve: () => void }> = [];
  socket.on('data', (chunk) => {
    received += String(chunk);
    for (const watcher of watchers.filter((w) => received.includes(w.text))) watcher.resolve();
  });
  socket.write(start);
  // A client that sends one more byte now and then, forever: only the server can end this.
  if (drip) timer = setInterval(() => { if (!socket.destroyed) socket.write(drip.byte); }, drip.everyMs);
  const answer = new Promise<string>((resolve) => {
    socket.on('close', () => {
      clearInterval(timer);
      resolve(received);
    });
    socket.on('error', () => undefined);
  });
  const receivedText = (text: string) => new Promise<void>((resolve) => {
    if (received.includes(text)) resolve();
    else watchers.push({ text, resolve });
  });
  return { socket, answer, received: receivedText };
}

describe('hostile query shapes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('answers /health at once while a 6,000-deep query is sent, and refuses that query with 400 naming the limit', async () => {
    const deep = fetch(`${server.url}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-query' }, body: nested(6000) });
    const started = performance.now();
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
    const refused = await deep;
    expect(refused.status).toBe(400);
    expect(await refused.text()).toBe('the query nests groups, lists or expressions 6000 deep; the limit is 64 (KG_MAX_QUERY_DEPTH)\n');
  });

  it('refuses 30,000 nested groups (60 KB, under the length limit) with 400 and keeps serving', async () => {
    const response = await fetch(`${server.url}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-query' }, body: nested(30_000) });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^the query nests groups, lists or expressions 30000 deep; the limit is 64/);
    expect((await getQuery(server, LIGHT)).status).toBe(200);
  });

  it('runs a query nested just within the limit', async () => {
    const response = await getQuery(server, nested(63), { accept: 'application/sparql-results+json' });
    expect(response.status).toBe(200);
  });

  it('refuses a result over the row limit with 503 while keeping memory bounded', async () => {
    const before = process.memoryUsage().rss;
    // ?a ?b ?c . ?d ?e ?f: about 1.45 million rows of six columns.
    const huge = await getQuery(server, 'SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }');
    expect(huge.status).toBe(503);
    expect(await huge.text()).toBe('the result has more than 100000 rows or triples (KG_MAX_RESULT_ROWS); add a LIMIT or narrow the query\n');
    const graph = await getQuery(server, 'CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f }');
    expect(graph.status).toBe(503);
    expect(process.memoryUsage().rss - before).toBeLessThan(1024 * 1024 * 1024);
    expect((await getQuery(server, LIGHT)).status).toBe(200);
  });

  it('keeps a result within the limit whole, its own LIMIT respected', async () => {
    const response = await getQuery(server, 'SELECT ?s WHERE { ?s ?p ?o } LIMIT 7', { accept: 'text/csv' });
    expect(response.status).toBe(200);
    expect((await response.text()).trim().split('\r\n')).toHaveLength(8);
  });
});

describe('the row limit of a CONSTRUCT (10 rows)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ maxResultRows: 10 });
  });
  afterAll(() => server.close());

  const construct = (query: string, accept: string) => getQuery(server, query, { accept });

  it('refuses more solutions than allowed even when they build a single triple', async () => {
    const response = await construct('CONSTRUCT { <urn:a> <urn:b> <urn:c> } WHERE { ?s ?p ?o }', 'application/n-triples');
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/more than 10 rows or triples \(KG_MAX_RESULT_ROWS\)/);
  });

  it('answers up to the limit whole, in every syntax, with nothing but the template\'s triples', async () => {
    const query = 'CONSTRUCT { ?x <urn:p> ?y } WHERE { VALUES (?x ?y) { (<urn:x1> 1) (<urn:x2> 2) (<urn:x3> 3) (<urn:x4> 4) (<urn:x5> 5) (<urn:x6> 6) (<urn:x7> 7) (<urn:x8> 8) (<urn:x9> 9) (<urn:x10> 10) } }';
    const lines = (await (await construct(query, 'application/n-triples')).text()).trim().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines.every((line) => line.includes('<urn:p>'))).toBe(true);
    for (const accept of ['text/turtle', 'application/ld+json', 'application/rdf+xml']) {
      const response = await construct(query, accept);
      expect(response.status).toBe(200);
      const body = await response.text();
      expect(body).toContain('urn:x10');
      expect(body).not.toMatch(/solution|_:kg/);
    }
    const eleven = query.replace('(<urn:x10> 10)', '(<urn:x10> 10) (<urn:x11> 11)');
    expect((await construct(eleven, 'application/n-triples')).status).toBe(503);
  });

  it('runs templates ending in a dot, empty ones and CONSTRUCT WHERE', async () => {
    const dotted = await construct('CONSTRUCT { ?x <urn:p> 1 . } WHERE { VALUES ?x { <urn:a> <urn:b> } }', 'application/n-triples');
    expect((await dotted.text()).trim().split('\n')).toHaveLength(2);
    const empty = await construct('CONSTRUCT { } WHERE { VALUES ?x { <urn:a> } }', 'application/n-triples');
    expect(empty.status).toBe(200);
    expect((await empty.text()).trim()).toBe('');
    const person = '<http://127.0.0.1:7878/id/person/ruslan-kazakbaev>';
    const short = await construct(`CONSTRUCT WHERE { ${person} ?p ?o }`, 'application/n-triples');
    expect(short.status).toBe(200);
    const lines = (await short.text()).trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.length).toBeLessThanOrEqual(10);
    expect(lines.every((line) => line.startsWith(`${person} `))).toBe(true);
    // The same triples twice over: their count squared in solutions, more than allowed.
    const pairs = await construct(`CONSTRUCT WHERE { ${person} ?p ?o . ${person} ?q ?r }`, 'application/n-triples');
    expect(lines.length ** 2).toBeGreaterThan(10);
    expect(pairs.status).toBe(503);
  });
});

describe('light queries beside four runaway ones (2 workers, the default pool)', () => {
  let server: TestServer;
  beforeAll(async () => {
    // A budget no copy of the seed data comes near: the server runs inside the test process,
    // whose resident memory is whatever the test files before this one left: with the default
    // budget, whether the fifth worker fits would depend on them (in a full run this test once
    // timed out waiting for it). The budget has tests of its own below.
    server = await startTestServer({ workers: 2, queryTimeoutMs: 60_000, memoryBudgetMb: 64 * 1024 });
  });
  afterAll(() => server.close());

  it('answer in well under a second each, and the runaways stop when their clients leave', async () => {
    const clients = Array.from({ length: 4 }, () => new AbortController());
    const runaways = clients.map((client) => fetch(`${server.url}/sparql?query=${encodeURIComponent(RUNAWAY)}`, { signal: client.signal }).catch((error: Error) => error.name));
    await vi.waitFor(() => expect(server.engine.load.running).toBe(4), { timeout: 10_000 });
    // A spare worker is started beside them (the default maximum is the cores plus four).
    await vi.waitFor(() => expect(server.engine.load.workers).toBe(5), { timeout: 10_000 });
    // The first light query may wait for that spare to finish loading (a thread, its modules and
    // the store): a bounded wait, then the others go straight to it.
    const first = performance.now();
    const firstResponse = await getQuery(server, LIGHT);
    expect(firstResponse.status).toBe(200);
    await firstResponse.text();
    expect(performance.now() - first).toBeLessThan(3000);

    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      const response = await getQuery(server, LIGHT);
      expect(response.status).toBe(200);
      await response.text();
      latencies.push(performance.now() - started);
    }
    expect(Math.max(...latencies)).toBeLessThan(1000);
    expect(server.engine.load.running).toBe(4);

    for (const client of clients) client.abort();
    expect(await Promise.all(runaways)).toEqual(['AbortError', 'AbortError', 'AbortError', 'AbortError']);
    await vi.waitFor(() => expect(server.engine.load.running).toBe(0), { timeout: 10_000 });
    expect(server.logLines().filter((line) => line.reason === 'client went away')).toHaveLength(4);
  });
});

describe('a light query beside a runaway within a memory budget that fits no copy past the workers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ workers: 2, queryTimeoutMs: 60_000, memoryBudgetMb: 1 });
  });
  afterAll(() => server.close());

  it('is answered by the other worker; no spare starts, and the log says why', async () => {
    const said = () => server.logLines().filter((line) => String(line.msg).includes('KG_MEMORY_BUDGET_MB'));
    await vi.waitFor(() => expect(said()).toHaveLength(1), { timeout: 10_000 });
    expect(said()[0]).toMatchObject({ workers: 2, wanted: 3, budgetMb: 1 });
    const client = new AbortController();
    const runaway = fetch(`${server.url}/sparql?query=${encodeURIComponent(RUNAWAY)}`, { signal: client.signal }).catch((error: Error) => error.name);
    await vi.waitFor(() => expect(server.engine.load.running).toBe(1), { timeout: 10_000 });
    const response = await getQuery(server, LIGHT);
    expect(response.status).toBe(200);
    await response.text();
    expect(server.engine.load).toMatchObject({ workers: 2, running: 1 });
    client.abort();
    expect(await runaway).toBe('AbortError');
    await vi.waitFor(() => expect(server.engine.load.running).toBe(0), { timeout: 10_000 });
    expect(said()).toHaveLength(1);
  });
});

describe('slow clients', () => {
  let server: TestServer;
  let port: number;
  beforeAll(async () => {
    server = await startTestServer({ headersTimeoutMs: 1000, requestTimeoutMs: 2000 });
    port = Number(new URL(server.url).port);
  });
  afterAll(() => server.close());

  it('are cut when the headers do not arrive in time', async () => {
    const { answer } = rawExchange(port, 'GET /health HTTP/1.1\r\nHost: x\r\n', { byte: 'X', everyMs: 200 });
    expect(await answer).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
  });

  it('are cut when a body comes one byte at a time', async () => {
    const headers = 'POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 100000\r\n\r\n';
    const { answer } = rawExchange(port, headers, { byte: 'A', everyMs: 50 });
    expect(await answer).toMatch(/408 Request Timeout/);
    expect((await getQuery(server, LIGHT)).status).toBe(200);
  });
});

describe('start and stop', () => {
  it('exits within the shutdown deadline on SIGTERM with a slow client still connected', async () => {
    const server = await spawnServer([], { KG_SHUTDOWN_TIMEOUT_MS: '1000', KG_REQUEST_TIMEOUT_MS: '120000', KG_HEADERS_TIMEOUT_MS: '120000' });
    const port = Number(new URL(server.url).port);
    // "100 Continue" tells that the server has read the headers: the request is in flight.
    const headers = 'POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n';
    const slow = rawExchange(port, headers, { byte: 'A', everyMs: 100 });
    await slow.received('100 Continue');
    server.process.kill('SIGTERM');
    await server.waitForLog((line) => typeof line.msg === 'string' && line.msg.includes('KG_SHUTDOWN_TIMEOUT_MS'));
    expect(await server.exited).toBe(0);
    await slow.answer;
  });

  it('exits within the shutdown deadline on SIGTERM while a runaway query runs, its worker stopped', async () => {
    const server = await spawnServer([], { KG_SHUTDOWN_TIMEOUT_MS: '1000', KG_QUERY_TIMEOUT_MS: '120000' });
    const runaway = fetch(`${server.url}/sparql?query=${encodeURIComponent(RUNAWAY)}`)
      .then((response) => `answered ${response.status}`, (error: Error) => `cut: ${error.message}`);
    await server.waitForLog((line) => line.msg === 'query started');
    server.process.kill('SIGTERM');
    await server.waitForLog((line) => typeof line.msg === 'string' && line.msg.includes('KG_SHUTDOWN_TIMEOUT_MS'));
    expect(await server.exited).toBe(0);
    // The deadline cut the request; the query worker did not keep the process alive for minutes.
    expect(await runaway).toBe('cut: fetch failed');
  });

  it('exits 1 with a message when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = await runKg(['serve', '--port', String(port)]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`kg: cannot listen on 127.0.0.1:${port}: the address is already in use (set PORT or --port)\n`);
    } finally {
      blocker.close();
    }
  });

  it('refuses to start workers that cannot load, with the reason', async () => {
    const pool = new QueryPool({ workers: 1, maxWorkers: 1, timeoutMs: 5000, maxQueue: 4, nquads: new TextEncoder().encode('this is not N-Quads') });
    await expect(pool.start()).rejects.toThrow(/^a query worker could not start: /);
    await pool.close();
  });

  it('starts workers on a first part of the dataset and serves once the last part is in, the union made by each copy', async () => {
    const encode = (text: string) => new TextEncoder().encode(text);
    const replaced: string[] = [];
    const pool = new QueryPool({
      workers: 1, maxWorkers: 1, timeoutMs: 1000, maxQueue: 4, partsFollow: true,
      // Enough quads for a runaway query to run past the timeout.
      nquads: encode(`_:b <urn:p> "data" <urn:g> .\n${Array.from({ length: 2000 }, (_, i) => `<urn:s${i}> <urn:p> "value ${i}" <urn:more> .\n`).join('')}`),
      onReplace: (reason) => replaced.push(reason),
    });
    const started = pool.start();
    // The derived graph alone, as a build posts it: the default graph is left to the copy.
    pool.addPart(encode('_:b <urn:q> "derived" <urn:inferred> .\n'), { last: true, expectedSize: 2 * 2002 });
    await started;
    const query = { kind: 'query' as const, format: 'json' as const, maxResultBytes: 10_000,
      query: 'SELECT ?b WHERE { GRAPH <urn:g> { ?b <urn:p> "data" } GRAPH <urn:inferred> { ?b <urn:q> "derived" } ?b <urn:p> "data" ; <urn:q> "derived" }' };
    // The blank node of the first part and of the last is one node, in its graphs and in the union.
    expect(JSON.parse(await pool.execute(query)).results.bindings).toHaveLength(1);
    // A replacement loads the dataset as kept for later workers, and makes the union too.
    await expect(pool.execute({ ...query, query: RUNAWAY })).rejects.toThrow(/did not finish within the timeout/);
    await vi.waitFor(() => expect(pool.load).toMatchObject({ workers: 1, loading: 0 }), { timeout: 30_000 });
    expect(replaced).toHaveLength(1);
    expect(JSON.parse(await pool.execute(query)).results.bindings).toHaveLength(1);
    await pool.close();
  });

  it('packs the dataset once its first workers have it, and a replacement worker loads the packed copy', async () => {
    let packed: { rawBytes: number; packedBytes: number } | undefined;
    const replaced: string[] = [];
    const lines = Array.from({ length: 2000 }, (_, i) => `<urn:s${i}> <urn:p> "value ${i}" .\n`).join('');
    const pool = new QueryPool({
      workers: 1, maxWorkers: 1, timeoutMs: 1000, maxQueue: 4, nquads: new TextEncoder().encode(lines),
      onPacked: (sizes) => { packed = sizes; },
      onReplace: (reason) => replaced.push(reason),
    });
    await pool.start();
    await vi.waitFor(() => expect(packed).toBeDefined());
    expect(packed!.rawBytes).toBe(lines.length);
    expect(packed!.packedBytes).toBeLessThan(packed!.rawBytes / 4);
    // Stopped at the timeout, the worker is replaced by one that loads the packed copy.
    await expect(pool.execute({ kind: 'query', query: RUNAWAY, format: 'json', maxResultBytes: 10_000 })).rejects.toThrow(/did not finish within the timeout/);
    // The query waits for the replacement's load, not within the 1 s timeout a loaded machine can miss.
    await vi.waitFor(() => expect(pool.load).toMatchObject({ workers: 1, loading: 0 }), { timeout: 10_000 });
    const body = await pool.execute({ kind: 'query', query: 'SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:p> ?o }', format: 'json', maxResultBytes: 10_000 });
    expect(JSON.parse(body).results.bindings[0].n.value).toBe('2000');
    expect(replaced).toEqual(['query timeout']);
    await pool.close();
  });

  it('refuses a worker whose copy does not hold as many quads as the store it copies', async () => {
    const pool = new QueryPool({ workers: 1, maxWorkers: 1, timeoutMs: 5000, maxQueue: 4, expectedSize: 2, nquads: new TextEncoder().encode('<urn:s> <urn:p> <urn:o> .\n') });
    await expect(pool.start()).rejects.toThrow('a query worker could not start: its copy of the store holds 1 quads, not 2');
    await pool.close();
  });

  it('gives up after a bounded number of failed restarts, refusing what waits', async () => {
    const replaced: string[] = [];
    let fatal: Error | undefined;
    const pool = new QueryPool({
      workers: 1, maxWorkers: 1, timeoutMs: 30_000, maxQueue: 4, nquads: new TextEncoder().encode('this is not N-Quads'),
      onReplace: (reason) => replaced.push(reason),
      onFatal: (error) => { fatal = error; },
    });
    const waiting = pool.execute({ kind: 'query', query: 'ASK {}', format: 'json', maxResultBytes: 1000 });
    await expect(waiting).rejects.toThrow('the query engine cannot start its workers');
    expect(fatal?.message).toMatch(/gave up after 5 attempts$/);
    expect(replaced).toHaveLength(5);
    await pool.close();
  });
});

describe('bad input is a 4xx with a message, never a 500', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it.each([
    ['/id/a%20b', 404, 'no resource "http://127.0.0.1:7878/id/a b": it contains a space, which an IRI cannot hold'],
    ['/page/a%3Cb%3E', 404, 'no resource "http://127.0.0.1:7878/id/a<b>": it contains "<" (U+003C), which an IRI cannot hold'],
    ['/data/x%7By%7D', 404, 'no resource "http://127.0.0.1:7878/id/x{y}": it contains "{" (U+007B), which an IRI cannot hold'],
    ['/page/%00', 404, 'no resource "http://127.0.0.1:7878/id/\\u0000": it contains the control character U+0000, which an IRI cannot hold'],
    ['/id/%ff', 400, 'the URL path has an invalid percent-escape (%XX must encode UTF-8)'],
    ['/queries/%E0%A4%A', 400, 'the URL path has an invalid percent-escape (%XX must encode UTF-8)'],
    ['/sparql?query=ASK%7B%7D&default-graph-uri=http://x/%25zz', 400, 'default-graph-uri and named-graph-uri must be absolute IRIs, not "http://x/%zz": "%" at position 10 does not start a percent-escape (%XX)'],
    ['/sparql?query=ASK%7B%7D&named-graph-uri=http://x/%00', 400, 'default-graph-uri and named-graph-uri must be absolute IRIs, not "http://x/\\u0000": it contains the control character U+0000, which an IRI cannot hold'],
    ['/sparql?query=ASK%7B%7D&default-graph-uri=http://x/%EF%BF%BD', 400, 'default-graph-uri and named-graph-uri must be absolute IRIs, not "http://x/\uFFFD": it contains "\uFFFD" (U+FFFD), which an IRI cannot hold'],
  ])('%s is %i', async (path, status, message) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.status).toBe(status);
    expect(await response.text()).toBe(`${message}\n`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('checks a SERVICE IRI written with code point escapes as the IRI it means', async () => {
    const query = 'SELECT * WHERE { SERVICE <http://x.invalid/\\u0073parql> { ?s ?p ?o } }';
    const response = await getQuery(server, query);
    expect(response.status).toBe(403);
    expect(await response.text()).toBe('outbound requests to http://x.invalid/sparql are not allowed: add it (or a prefix of it) to KG_FEDERATION_ALLOW, which is empty\n');
  });

  it('reports a syntax error in a federated query as 400 with the parser\'s position', async () => {
    const response = await fetch(`${server.url}/sparql?query=${encodeURIComponent('SELEC ?x')}&source=self`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^SPARQL syntax error: error at 1:\d+: /);
  });
});
