// SIGTERM: stop accepting, finish the queries in flight, exit 0. The query in flight waits on a
// remote endpoint that this test holds, so it is provably still running when the signal comes and
// finishes only when the test releases it: no timing assumption.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer } from '../helpers/child-server.ts';

const RELEASED = 'http://example.org/released';

/** A SPARQL endpoint that answers COUNT probes at once and holds every other query until released. */
function heldEndpoint(): { server: Server; held: Promise<void>; release: () => void } {
  let markHeld!: () => void;
  const held = new Promise<void>((resolve) => { markHeld = resolve; });
  const waiting: ServerResponse[] = [];
  let released = false;
  const answer = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/sparql-results+json' })
    .end(JSON.stringify({ head: { vars: ['x'] }, results: { bindings: [{ x: { type: 'uri', value: RELEASED } }] } }));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk) => { body += String(chunk); });
    req.on('end', () => {
      const query = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? new URLSearchParams(body).get('query') ?? body;
      if (/COUNT/i.test(query) || !query) {
        res.writeHead(200, { 'content-type': 'application/sparql-results+json' })
          .end(JSON.stringify({ head: { vars: ['count'] }, results: { bindings: [{ count: { type: 'literal', value: '1', datatype: 'http://www.w3.org/2001/XMLSchema#integer' } }] } }));
        return;
      }
      if (released) return answer(res);
      waiting.push(res);
      markHeld();
    });
  });
  return { server, held, release: () => { released = true; for (const res of waiting.splice(0)) answer(res); } };
}

describe('graceful shutdown', () => {
  const remote = heldEndpoint();
  let remoteUrl: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => remote.server.listen(0, '127.0.0.1', resolve));
    remoteUrl = `http://127.0.0.1:${(remote.server.address() as { port: number }).port}/sparql`;
  });
  afterAll(() => new Promise((resolve) => remote.server.close(resolve)));

  it('finishes the query in flight, refuses new connections and exits 0', async () => {
    const server = await spawnServer([], { KG_WORKERS: '1', KG_FEDERATION_ALLOW: remoteUrl });
    const query = `SELECT ?x WHERE { SERVICE <${remoteUrl}> { ?x ?p ?o } }`;
    const inFlight = fetch(`${server.url}/sparql?query=${encodeURIComponent(query)}&format=csv`);
    await remote.held;

    server.process.kill('SIGTERM');
    await server.waitForLog((line) => line.msg === 'shutting down');
    // A new connection (no pooled keep-alive socket) to the closed listener.
    const refused = await new Promise<string>((resolve) => {
      get(`${server.url}/health`, { agent: false }, () => resolve('answered')).on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    // Refused, or reset when the connection raced the listener's closing: never answered.
    expect(['ECONNREFUSED', 'ECONNRESET']).toContain(refused);

    remote.release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(`x\r\n${RELEASED}\r\n`);
    expect(await server.exited).toBe(0);
  });
});

describe('shutdown when whoever read the log has gone', () => {
  it('exits 0 on SIGTERM after its stdout was closed, rather than retrying the last log lines for ever', async () => {
    const child = spawn(process.execPath, ['bin/kg.js', 'serve', '--port', '0'], {
      // A state directory of its own: a server without write tokens keeps its build there.
      env: { ...process.env, KG_LOG_LEVEL: 'info', KG_STATE_DIR: mkdtempSync(join(tmpdir(), 'kg-state-')) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.includes('"msg":"listening"')) resolve();
      });
      void exited.then((code) => reject(new Error(`kg serve exited (${code}) before listening`)));
    });
    // The reader goes away (a pipe into `head`, a supervisor restarted): the next log write fails.
    child.stdout!.destroy();
    child.kill('SIGTERM');
    const outcome = await Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 15_000).unref())]);
    if (outcome === 'still running') child.kill('SIGKILL');
    expect(outcome).toBe(0);
  }, 30_000);
});
