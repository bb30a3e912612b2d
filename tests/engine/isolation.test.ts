// Queries run in worker threads: a runaway query is stopped at the timeout while light queries
// keep being answered; a full queue is refused; the pool heals itself.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RUNAWAY, LIGHT } from '../helpers/queries.ts';
import { startTestServer, getQuery, type TestServer } from '../helpers/server.ts';

describe('a runaway query among light ones (2 workers, 3 s timeout)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ workers: 2, queryTimeoutMs: 3000 });
  });
  afterAll(() => server.close());

  it('is stopped with 503 at the timeout while concurrent light queries all succeed', async () => {
    let runawayFinished = false;
    const runaway = getQuery(server, RUNAWAY).then(async (response) => {
      runawayFinished = true;
      return { status: response.status, text: await response.text() };
    });
    await vi.waitFor(() => expect(server.engine.load.running).toBe(1));

    const light = await Promise.all(Array.from({ length: 20 }, async () => {
      const response = await getQuery(server, LIGHT);
      return { status: response.status, json: await response.json() };
    }));
    expect(runawayFinished).toBe(false);
    for (const answer of light) {
      expect(answer.status).toBe(200);
      expect(answer.json.results.bindings).toEqual([{ name: { type: 'literal', value: 'Ruslan Kazakbaev', 'xml:lang': 'en' } }]);
    }

    const stopped = await runaway;
    expect(stopped.status).toBe(503);
    expect(stopped.text).toBe('the query did not finish within the timeout of 3 s (KG_QUERY_TIMEOUT_MS) and was stopped\n');
  });

  it('replaces the stopped worker and answers normally afterwards', async () => {
    await vi.waitFor(() => expect(server.logLines().some((line) => line.msg === 'query worker replaced' && line.reason === 'query timeout')).toBe(true));
    const answers = await Promise.all(Array.from({ length: 4 }, () => getQuery(server, LIGHT)));
    expect(answers.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    expect(server.engine.load).toMatchObject({ queued: 0, running: 0 });
  });
});

describe('a full queue (1 worker, queue of 1)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ workers: 1, maxWorkers: 1, maxQueue: 1, queryTimeoutMs: 1500 });
  });
  afterAll(() => server.close());

  it('refuses a query beyond the queue with 503 at once, and never leaves a request hanging', async () => {
    const runaway = getQuery(server, RUNAWAY);
    await vi.waitFor(() => expect(server.engine.load.running).toBe(1));
    // A second runaway waits in the queue: whether it times out waiting or running, the timeout
    // (waiting included) ends it with 503.
    const queued = getQuery(server, RUNAWAY);
    await vi.waitFor(() => expect(server.engine.load.queued).toBe(1));

    const refused = await getQuery(server, LIGHT);
    expect(refused.status).toBe(503);
    expect(await refused.text()).toBe('the server is busy: 1 queries are waiting (limit KG_MAX_QUEUE=1); try again later\n');

    expect((await runaway).status).toBe(503);
    const waited = await queued;
    expect(waited.status).toBe(503);
    expect(await waited.text()).toMatch(/^the query (waited for a free worker longer than|did not finish within) the timeout of 1\.5 s/);
  });

  it('drops a waiting query whose client went away', async () => {
    const runaway = getQuery(server, RUNAWAY);
    // The worker the test before stopped at the timeout is replaced first: a load, which a busy
    // machine can take longer than a second over.
    await vi.waitFor(() => expect(server.engine.load.running).toBe(1), { timeout: 10_000 });
    const abort = new AbortController();
    const gone = fetch(`${server.url}/sparql?query=${encodeURIComponent(LIGHT)}`, { signal: abort.signal }).catch((error: Error) => error.name);
    await vi.waitFor(() => expect(server.engine.load.queued).toBe(1));
    abort.abort();
    expect(await gone).toBe('AbortError');
    await vi.waitFor(() => expect(server.engine.load.queued).toBe(0));
    expect((await runaway).status).toBe(503);
  });
});

describe('the result size limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ workers: 1, maxWorkers: 1, maxResultBytes: 2000 });
  });
  afterAll(() => server.close());

  it('refuses a result larger than the limit with 503 and a hint, and keeps serving', async () => {
    const big = await getQuery(server, 'SELECT * WHERE { ?s ?p ?o }');
    expect(big.status).toBe(503);
    expect(await big.text()).toBe('the result is larger than the limit of 2000 bytes (KG_MAX_RESULT_BYTES); add a LIMIT or narrow the query\n');
    const small = await getQuery(server, LIGHT);
    expect(small.status).toBe(200);
  });
});
