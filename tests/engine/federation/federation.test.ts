// Federation: our graph joined with other SPARQL sources through Comunica, and the allow-list,
// timeouts and limits that keep outbound requests safe. Every server here listens on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { OVER_REMOTE_STORE } from '../../helpers/remote-store.ts';
import { runKg } from '../../helpers/cli.ts';
import { PEERS, describeWithPeers, startVirtuoso, type Virtuoso } from '../../helpers/peers.ts';

const PREFIXES = `PREFIX schema: <http://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>`;
const EXPECTED = 'name,capital,population\r\nAfghanistan,Kabul,41000000\r\nArmenia,Yerevan,3000000\r\nKyrgyzstan,Bishkek,7000000\r\nTajikistan,Dushanbe,10000000\r\n';
const joinVia = (endpoint: string, silent = '') => `${PREFIXES}
SELECT ?name ?capital ?population WHERE {
  ?country a schema:Country ; rdfs:label ?name ; owl:sameAs ?wd .
  SERVICE ${silent}<${endpoint}> { ?wd wdt:P1082 ?population ; wdt:P36/rdfs:label ?capital }
} ORDER BY ?name`;
const JOIN_WITHOUT_SERVICE = `${PREFIXES}
SELECT ?name ?capital ?population WHERE {
  ?country a schema:Country ; rdfs:label ?name ; owl:sameAs ?wd .
  ?wd wdt:P1082 ?population ; wdt:P36/rdfs:label ?capital .
} ORDER BY ?name`;

const csv = async (server: TestServer, query: string, extra = '') => {
  const response = await fetch(`${server.url}/sparql?query=${encodeURIComponent(query)}${extra}`, { headers: { accept: 'text/csv' } });
  return { status: response.status, text: await response.text() };
};
const hash = (query: string) => createHash('sha256').update(query).digest('hex').slice(0, 16);

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)));
}

describe('two instances on loopback', () => {
  let capitals: TestServer;
  let ours: TestServer;
  beforeAll(async () => {
    capitals = await startTestServer({ dataDir: 'tests/fixtures/federation', baseIri: 'http://127.0.0.1:7879/id/' });
    ours = await startTestServer({ federationAllow: [`${capitals.url}/sparql`] });
  });
  afterAll(async () => {
    await ours.close();
    await capitals.close();
  });

  it('join in one query with SERVICE, with the exact rows', async () => {
    const query = joinVia(`${capitals.url}/sparql`);
    expect(await csv(ours, query)).toEqual({ status: 200, text: EXPECTED });
    expect(ours.logLines().find((line) => line.msg === 'query started' && line.queryHash === hash(query))?.engine).toBe('comunica');
  });

  it('announces SERVICE support in the service description once outbound requests are allowed', async () => {
    const feature = 'http://www.w3.org/ns/sparql-service-description#BasicFederatedQuery';
    expect(await (await fetch(`${ours.url}/sparql`, { headers: { accept: 'application/n-triples' } })).text()).toContain(feature);
    expect(await (await fetch(`${capitals.url}/sparql`, { headers: { accept: 'application/n-triples' } })).text()).not.toContain(feature);
  });

  it('keeps queries without SERVICE on the store (Oxigraph embedded, or the remote store)', async () => {
    const query = `${PREFIXES} SELECT ?name WHERE { ?c a schema:Country ; rdfs:label ?name }`;
    expect((await csv(ours, query)).status).toBe(200);
    expect(ours.logLines().find((line) => line.msg === 'query started' && line.queryHash === hash(query))?.engine).toBe(OVER_REMOTE_STORE ? 'store' : 'oxigraph');
  });

  it('query our store and the other endpoint as one dataset with source=', async () => {
    // Over the remote store, the join reads it in as many requests at once as Comunica opens, all
    // bound to the query's signal: that is not a leak, and the server must not warn of one.
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const sources = `&source=self&source=${encodeURIComponent(`sparql@${capitals.url}/sparql`)}`;
      expect(await csv(ours, JOIN_WITHOUT_SERVICE, sources)).toEqual({ status: 200, text: EXPECTED });
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((warning) => warning.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  });

  it('kg federate joins our endpoint, as a remote source, with a Turtle file', async () => {
    const result = await runKg(['federate', '--source', `sparql@${ours.url}/sparql`, '--source', 'tests/fixtures/federation/capitals.ttl', '--format', 'csv', JOIN_WITHOUT_SERVICE]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(EXPECTED);
  });

  it('kg federate joins this graph with a Turtle file', async () => {
    const result = await runKg(['federate', '--source', 'self', '--source', 'tests/fixtures/federation/capitals.ttl', '--format', 'csv', JOIN_WITHOUT_SERVICE]);
    expect(result.stdout).toBe(EXPECTED);
  });
});

describe('the allow-list, timeouts and limits', () => {
  let recorder: ReturnType<typeof createTcpServer>;
  let recorderUrl: string;
  let connections = 0;
  let slow: Server;
  let slowUrl: string;
  let garbage: Server;
  let garbageUrl: string;
  let guarded: TestServer;

  beforeAll(async () => {
    recorder = createTcpServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', () => resolve()));
    recorderUrl = `http://127.0.0.1:${(recorder.address() as { port: number }).port}/sparql`;
    // Accepts requests and never answers.
    slow = createHttpServer(() => {});
    slowUrl = `${await listen(slow)}/sparql`;
    // Answers 200 with a body that is not SPARQL results, or a body over the size limit.
    garbage = createHttpServer((req, res) => {
      if (req.url?.startsWith('/redirect')) {
        res.writeHead(302, { location: recorderUrl.replace('127.0.0.1', '[::ffff:7f00:1]') }).end();
      } else if (req.url?.startsWith('/big')) {
        res.writeHead(200, { 'content-type': 'text/turtle' }).end('<urn:s> <urn:p> "padding padding padding" .\n'.repeat(400));
      } else {
        res.writeHead(200, { 'content-type': 'application/sparql-results+json' }).end('this is not JSON {');
      }
    });
    garbageUrl = await listen(garbage);
    guarded = await startTestServer({
      federationAllow: ['http://', slowUrl, `${garbageUrl}/`],
      federationTimeoutMs: 1000,
      federationMaxBytes: 4096,
    });
  });
  afterAll(async () => {
    await guarded.close();
    slow.closeAllConnections();
    await new Promise((resolve) => slow.close(resolve));
    await new Promise((resolve) => garbage.close(resolve));
    await new Promise((resolve) => recorder.close(resolve));
  });

  it('refuses a SERVICE outside the list with 403 naming the setting, and never connects', async () => {
    const strict = await startTestServer({ federationAllow: ['https://query.wikidata.org/sparql'] });
    try {
      const answer = await csv(strict, `SELECT * WHERE { SERVICE <${recorderUrl}> { ?s ?p ?o } }`);
      expect(answer.status).toBe(403);
      expect(answer.text).toBe(`outbound requests to ${recorderUrl} are not allowed: add it (or a prefix of it) to KG_FEDERATION_ALLOW\n`);
      const silent = await csv(strict, `SELECT * WHERE { SERVICE SILENT <${recorderUrl}> { ?s ?p ?o } }`);
      expect(silent.status).toBe(403);
    } finally {
      await strict.close();
    }
    expect(connections).toBe(0);
  });

  it('refuses loopback addresses that the list does not name, even under an allowed prefix', async () => {
    const answer = await csv(guarded, `SELECT * WHERE { SERVICE <${recorderUrl}> { ?s ?p ?o } }`);
    expect(answer.status).toBe(403);
    expect(answer.text).toBe(`${recorderUrl} is on a loopback or private address: KG_FEDERATION_ALLOW must name the host 127.0.0.1 itself to allow it\n`);
    const source = await csv(guarded, 'SELECT * WHERE { ?s ?p ?o }', `&source=${encodeURIComponent(recorderUrl)}`);
    expect(source.status).toBe(403);
    expect(connections).toBe(0);
  });

  it('refuses every other spelling of the loopback address under a broad prefix, and never connects', async () => {
    const port = new URL(recorderUrl).port;
    const spellings = [`[::ffff:7f00:1]:${port}`, `[::ffff:127.0.0.1]:${port}`, `[::127.0.0.1]:${port}`, `[64:ff9b::7f00:1]:${port}`,
      `2130706433:${port}`, `0x7f.1:${port}`, `127.1:${port}`, `0177.0.0.1:${port}`, `localhost.:${port}`, `[::1]:${port}`];
    for (const host of spellings) {
      const service = await csv(guarded, `SELECT * WHERE { SERVICE <http://${host}/sparql> { ?s ?p ?o } }`);
      expect(service.status, host).toBe(403);
      expect(service.text, host).toMatch(/loopback or private address/);
      const source = await csv(guarded, 'SELECT * WHERE { ?s ?p ?o }', `&source=${encodeURIComponent(`sparql@http://${host}/sparql`)}`);
      expect(source.status, host).toBe(403);
    }
    expect(connections).toBe(0);
  });

  it('refuses a redirect to a loopback address the list does not name', async () => {
    const answer = await csv(guarded, `SELECT * WHERE { SERVICE <${garbageUrl}/redirect> { ?s ?p ?o } }`);
    expect(answer.status).toBe(403);
    expect(answer.text).toMatch(/^federated query failed: .*loopback or private address/);
    expect(connections).toBe(0);
  });

  it('with no allow-list at all, refuses every SERVICE', async () => {
    const closed = await startTestServer();
    try {
      const answer = await csv(closed, `SELECT * WHERE { SERVICE <${recorderUrl}> { ?s ?p ?o } }`);
      expect(answer).toEqual({ status: 403, text: `outbound requests to ${recorderUrl} are not allowed: add it (or a prefix of it) to KG_FEDERATION_ALLOW, which is empty\n` });
    } finally {
      await closed.close();
    }
    expect(connections).toBe(0);
  });

  it('stops waiting for a remote that hangs: 504, or an empty result with SILENT', async () => {
    const answer = await csv(guarded, `SELECT * WHERE { SERVICE <${slowUrl}> { ?s ?p ?o } }`);
    expect(answer.status).toBe(504);
    expect(answer.text).toBe(`federated query failed: ${slowUrl} did not answer within 1 s (KG_FEDERATION_TIMEOUT_MS)\n`);
    const silent = await csv(guarded, `SELECT * WHERE { SERVICE SILENT <${slowUrl}> { ?s ?p ?o } }`);
    expect(silent.status).toBe(200);
  });

  it('gives a clear error for a remote answering garbage, or an empty result with SILENT', async () => {
    const answer = await csv(guarded, `SELECT * WHERE { SERVICE <${garbageUrl}/sparql> { ?s ?p ?o } }`);
    expect(answer.status).toBe(502);
    expect(answer.text).toMatch(/^federated query failed: .+\n$/);
    const silent = await csv(guarded, `SELECT * WHERE { SERVICE SILENT <${garbageUrl}/sparql> { ?s ?p ?o } }`);
    expect(silent.status).toBe(200);
  });

  it('refuses a remote response over the size limit', async () => {
    const answer = await csv(guarded, `SELECT * WHERE { SERVICE <${garbageUrl}/big> { ?s ?p ?o } }`);
    expect(answer.status).toBe(502);
    expect(answer.text).toBe(`federated query failed: the response of ${garbageUrl}/big is larger than the limit of 4096 bytes (KG_FEDERATION_MAX_BYTES)\n`);
  });
});

describeWithPeers('Virtuoso as a federation source', [PEERS.virtuoso], () => {
  let virtuoso: Virtuoso;
  let ours: TestServer;
  beforeAll(async () => {
    virtuoso = await startVirtuoso();
    const turtle = readFileSync('tests/fixtures/federation/capitals.ttl', 'utf8').replace(/^#.*$/gm, '');
    const prefixes = [...turtle.matchAll(/@prefix\s+(\w+):\s+<([^>]+)>\s*\./g)].map((m) => `PREFIX ${m[1]}: <${m[2]}>`).join(' ');
    const body = turtle.replace(/@prefix[^\n]*\n/g, '');
    await virtuoso.isql(`SPARQL ${prefixes} INSERT DATA { GRAPH <urn:capitals> { ${body} } }`);
    ours = await startTestServer({ federationAllow: [virtuoso.sparqlUrl] });
  }, 120_000);
  afterAll(async () => {
    await ours?.close();
    await virtuoso?.stop();
  });

  it('joins our store with Virtuoso through SERVICE', async () => {
    expect(await csv(ours, joinVia(virtuoso.sparqlUrl))).toEqual({ status: 200, text: EXPECTED });
  }, 60_000);

  it('queries our store and Virtuoso as one dataset with source=', async () => {
    const sources = `&source=self&source=${encodeURIComponent(`sparql@${virtuoso.sparqlUrl}`)}`;
    expect(await csv(ours, JOIN_WITHOUT_SERVICE, sources)).toEqual({ status: 200, text: EXPECTED });
  }, 60_000);
});
