// The checked graph kept from one start to the next (src/web/build-cache.ts): a server without
// write tokens keeps it in its state directory, the next one with the same files starts from it
// and answers the same; anything the fingerprint covers changing, a damaged cache, or writes in
// the state directory make the start build (and check) the graph again.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { loadConfig, type Config } from '../../src/core/config.ts';
import { BuildCache, buildFingerprint } from '../../src/web/build-cache.ts';
import { PoolDataset } from '../../src/engine/embedded/pool-dataset.ts';

const SEED = 'csto-joint-session-2021-09-15';
const KEPT = 'the checked graph is kept in the build cache for the next start';
const LOADED = 'the checked graph is loaded from the build cache: nothing it was built from has changed';
const EVERY_QUAD = 'SELECT (COUNT(*) AS ?n) WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }';

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

/** A data directory and a state directory of the test's own. */
function directories(): { dataDir: string; stateDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'kg-build-cache-'));
  cpSync('data', join(root, 'data'), { recursive: true });
  return { dataDir: join(root, 'data'), stateDir: join(root, 'state') };
}

async function start(overrides: Partial<Config>): Promise<TestServer> {
  const server = await startTestServer({ store: 'embedded', workers: 1, maxWorkers: 2, ...overrides });
  servers.push(server);
  return server;
}

function messages(server: TestServer): string[] {
  return server.logLines().map((line) => String(line.msg));
}

/** Starts a server that builds the graph, waits until it has kept it, and stops it. */
async function keepBuild(overrides: Partial<Config>): Promise<void> {
  const server = await start(overrides);
  expect(messages(server)).not.toContain(LOADED);
  await vi.waitFor(() => expect(messages(server)).toContain(KEPT), { timeout: 20_000 });
  await server.close();
  servers = servers.filter((other) => other !== server);
}

async function count(server: TestServer, query = EVERY_QUAD): Promise<string> {
  const response = await fetch(`${server.url}/sparql?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/sparql-results+json' } });
  expect(response.status).toBe(200);
  const body = await response.json() as { results: { bindings: Array<{ n: { value: string } }> } };
  return body.results.bindings[0]!.n.value;
}

/** The dataset's void:triples, as its VoID description states it. */
async function datasetTriples(server: TestServer): Promise<number> {
  const response = await fetch(`${server.url}/.well-known/void`, { headers: { accept: 'application/n-triples' } });
  expect(response.status).toBe(200);
  const counts = [...(await response.text()).matchAll(/<http:\/\/rdfs\.org\/ns\/void#triples> "(\d+)"/g)].map((match) => Number(match[1]));
  expect(counts.length).toBeGreaterThan(0);
  return Math.max(...counts);
}

describe('the build cache', () => {
  it('keeps the checked graph, and the next start with the same files loads it and answers the same', async () => {
    const dirs = directories();
    const first = await start(dirs);
    await vi.waitFor(() => expect(messages(first)).toContain(KEPT), { timeout: 20_000 });
    const quads = await count(first);
    const voidTriples = await datasetTriples(first);
    const ministers = await count(first, 'PREFIX schema: <http://schema.org/> SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a schema:Person }');
    expect(Number(quads)).toBeGreaterThan(2000);
    expect(readdirSync(join(dirs.stateDir, 'build-cache'))).toContain('manifest.json');

    const second = await start(dirs);
    expect(messages(second)).toContain(LOADED);
    const listening = second.logLines().find((line) => line.msg === 'listening')!;
    expect(listening.buildCache).toBe('loaded');
    expect(await count(second)).toBe(quads);
    expect(await count(second, 'PREFIX schema: <http://schema.org/> SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a schema:Person }')).toBe(ministers);
    // The VoID counts go through the workers as well.
    expect(await datasetTriples(second)).toBe(voidTriples);
  });

  it('checks the graph again when a file changes, and refuses a text its anchors no longer fit', async () => {
    const dirs = directories();
    await keepBuild(dirs);
    const textPath = join(dirs.dataDir, `${SEED}.txt`);
    const text = readFileSync(textPath, 'utf8');
    // The same length, one character changed: only the anchor check can tell.
    const at = text.indexOf('September');
    writeFileSync(textPath, `${text.slice(0, at)}Zeptember${text.slice(at + 'September'.length)}`);
    await expect(start(dirs)).rejects.toThrow(/source text offsets do not match the text/);

    writeFileSync(textPath, text);
    appendFileSync(join(dirs.dataDir, `${SEED}.trig`), '\n# a comment changes the file, not the graph\n');
    const rebuilt = await start(dirs);
    expect(messages(rebuilt)).not.toContain(LOADED);
    await vi.waitFor(() => expect(messages(rebuilt)).toContain(KEPT), { timeout: 20_000 });
  });

  it('builds the graph when the cache is damaged, saying so', async () => {
    const dirs = directories();
    await keepBuild(dirs);
    const cacheDir = join(dirs.stateDir, 'build-cache');
    const part = readdirSync(cacheDir).find((name) => name.endsWith('-1.nq.gz'))!;
    const bytes = readFileSync(join(cacheDir, part));
    const middle = bytes.length >> 1;
    bytes[middle] = bytes[middle]! ^ 0xff;
    writeFileSync(join(cacheDir, part), bytes);

    const server = await start(dirs);
    const warning = server.logLines().find((line) => line.msg === 'the build cache is damaged: building the graph');
    expect(warning?.err).toMatch(/does not match its checksum/);
    expect(messages(server)).not.toContain(LOADED);
    expect(Number(await count(server))).toBeGreaterThan(2000);
  });

  it('builds the graph when the workers cannot load the cache, saying why', async () => {
    const dirs = directories();
    await keepBuild(dirs);
    const manifestPath = join(dirs.stateDir, 'build-cache', 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { size: number };
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, size: manifest.size + 1 }));

    const server = await start(dirs);
    const warning = server.logLines().find((line) => line.msg === 'the build cache could not be loaded: building the graph');
    expect(warning?.err).toMatch(new RegExp(`holds ${manifest.size} quads, not ${manifest.size + 1}`));
    expect(messages(server)).not.toContain(LOADED);
    expect(Number(await count(server))).toBeGreaterThan(2000);
  });

  it('builds the graph when the state directory holds writes, and serves them', async () => {
    const dirs = directories();
    await keepBuild(dirs);
    const writable = await start({ ...dirs, writeToken: 'build-cache-test-token' });
    const update = await fetch(`${writable.url}/sparql`, {
      method: 'POST',
      headers: { 'content-type': 'application/sparql-update', authorization: 'Bearer build-cache-test-token' },
      body: 'INSERT DATA { GRAPH <urn:test:graph> { <urn:test:s> <urn:test:p> "kept across starts" } }',
    });
    expect(update.status).toBe(204);
    await writable.close();
    servers = servers.filter((other) => other !== writable);

    const server = await start(dirs);
    expect(messages(server)).not.toContain(LOADED);
    expect(await count(server, 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:test:graph> { ?s ?p "kept across starts" } }')).toBe('1');
  });

  it('keeps nothing with KG_BUILD_CACHE=0', async () => {
    const dirs = directories();
    const server = await start({ ...dirs, buildCache: false });
    await vi.waitFor(() => expect(messages(server)).toContain('the dataset kept for later workers is gzipped'), { timeout: 20_000 });
    expect(messages(server)).not.toContain(KEPT);
    expect(existsSync(join(dirs.stateDir, 'build-cache'))).toBe(false);
    expect(loadConfig({ KG_BUILD_CACHE: '0' }).buildCache).toBe(false);
  });
});

describe('the build fingerprint', () => {
  it('changes with any byte of the inputs and with the settings the build reads, not with the state directory', () => {
    const dirs = directories();
    const config = loadConfig({}, dirs);
    const before = buildFingerprint(config);
    expect(buildFingerprint(config)).toBe(before);
    writeFileSync(join(dirs.dataDir, 'note.txt'), 'x');
    const withFile = buildFingerprint(config);
    expect(withFile).not.toBe(before);
    writeFileSync(join(dirs.dataDir, 'note.txt'), 'y');
    expect(buildFingerprint(config)).not.toBe(withFile);
    expect(buildFingerprint({ ...config, baseIri: 'http://example.org/id/' })).not.toBe(buildFingerprint(config));
    expect(buildFingerprint({ ...config, maxQuads: 10 })).not.toBe(buildFingerprint(config));
    // The cache lives in the state directory: what it writes there must not change the key.
    const inside = { ...config, stateDir: join(dirs.dataDir, 'state') };
    const unchanged = buildFingerprint(inside);
    cpSync(join(dirs.dataDir, `${SEED}.trig`), join(dirs.dataDir, 'state', 'kept.gz'));
    expect(buildFingerprint(inside)).toBe(unchanged);
  });

  it('keeps nothing when an input changed after the cache was opened, since the build may have read either version', async () => {
    const dirs = directories();
    const config = loadConfig({}, dirs);
    const packed = (await new PoolDataset(new TextEncoder().encode('<urn:s> <urn:p> <urn:o> .\n'), true).pack())!;
    const changedMeanwhile = BuildCache.open(config);
    appendFileSync(join(dirs.dataDir, `${SEED}.trig`), '\n# changed during the build\n');
    expect(await changedMeanwhile.keep({ packed, size: 1 })).toBe(false);
    expect(existsSync(join(dirs.stateDir, 'build-cache'))).toBe(false);

    const unchanged = BuildCache.open(config);
    expect(await unchanged.keep({ packed, size: 1 })).toBe(true);
    expect(await unchanged.read()).toMatchObject({ size: 1, packed: { rawSizes: packed.rawSizes } });
  });
});
