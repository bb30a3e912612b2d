// SIGTERM: stop accepting, finish the queries in flight, exit 0.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { get } from 'node:http';
import { spawnServer } from '../helpers/child-server.ts';

// About a second of work: triples × triples × 4 countries, solutions to count.
const SLOW = 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g a <http://schema.org/Country> }';

describe('graceful shutdown', () => {
  it('finishes the query in flight, refuses new connections and exits 0', async () => {
    const server = await spawnServer([], { KG_WORKERS: '1' });
    const countResponse = await fetch(`${server.url}/sparql?query=${encodeURIComponent('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }')}&format=csv`);
    const triples = Number((await countResponse.text()).split('\r\n')[1]);
    const inFlight = fetch(`${server.url}/sparql?query=${encodeURIComponent(SLOW)}&format=csv`);
    const slowHash = createHash('sha256').update(SLOW).digest('hex').slice(0, 16);
    await server.waitForLog((line) => line.msg === 'query started' && line.queryHash === slowHash);

    server.process.kill('SIGTERM');
    await server.waitForLog((line) => line.msg === 'shutting down');
    // A new connection (no pooled keep-alive socket) to the closed listener.
    const refused = await new Promise<string>((resolve) => {
      get(`${server.url}/health`, { agent: false }, () => resolve('answered')).on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    // Refused, or reset when the connection raced the listener's closing: never answered.
    expect(['ECONNREFUSED', 'ECONNRESET']).toContain(refused);

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(`n\r\n${triples * triples * 4}\r\n`);
    expect(await server.exited).toBe(0);
  });
});
