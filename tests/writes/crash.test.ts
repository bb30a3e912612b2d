// Crash safety: a server taking a stream of acknowledged writes (updates, PUTs, POSTs, deletes, a
// new source) is killed with SIGKILL at random moments, many times, with snapshots every few
// writes; after each restart every acknowledged write is there, the write in flight is there whole
// or not at all, and the journal reads back. And a torn last record is cut off with a warning.
import { describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, statSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { spawnServer, type ChildServer } from '../helpers/child-server.ts';
import { startTestServer } from '../helpers/server.ts';
import { TOKEN, auth, countRows, postSource, postUpdate } from '../helpers/writes.ts';
import { runKg } from '../helpers/cli.ts';

const MARKERS = 3;

/** Write number i: each kind writes (or deletes) MARKERS quads about <urn:crash:wI>, in one request. */
function writeRequest(url: string, i: number): Promise<Response> {
  const triples = Array.from({ length: MARKERS }, (_, k) => `<urn:crash:w${i}> <urn:crash:p${k}> "${i}" .`);
  const quads = triples.join(' ');
  switch (i % 4) {
    case 0: return postUpdate(url, `INSERT DATA { GRAPH <urn:crash:ins> { ${quads} } }`);
    case 1: return fetch(`${url}/store?graph=urn:crash:put${i % 3}`, { method: 'PUT', headers: { ...auth(), 'content-type': 'application/n-triples' }, body: triples.join('\n') });
    case 2: return postUpdate(url, `DELETE WHERE { GRAPH <urn:crash:ins> { <urn:crash:w${i - 2}> ?p ?o } }`);
    default: return fetch(`${url}/store?graph=urn:crash:post`, { method: 'POST', headers: { ...auth(), 'content-type': 'text/turtle' }, body: quads });
  }
}

/** What each write leaves when it was applied: markers of a subject in a graph, or the deletion of an earlier insert. */
type Expectation = { graph: string; subject: number; present: boolean };
function effectOf(i: number): Expectation {
  switch (i % 4) {
    case 0: return { graph: 'urn:crash:ins', subject: i, present: true };
    case 1: return { graph: `urn:crash:put${i % 3}`, subject: i, present: true };
    case 2: return { graph: 'urn:crash:ins', subject: i - 2, present: false };
    default: return { graph: 'urn:crash:post', subject: i, present: true };
  }
}

/** Quads per (graph, subject) of the crash graphs. */
async function markerCounts(url: string): Promise<Map<string, number>> {
  const response = await fetch(`${url}/sparql?query=${encodeURIComponent(`SELECT ?g ?s (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER (STRSTARTS(STR(?g), "urn:crash:")) } GROUP BY ?g ?s`)}`,
    { headers: { accept: 'application/sparql-results+json' } });
  const { results } = (await response.json()) as { results: { bindings: Array<Record<string, { value: string }>> } };
  return new Map(results.bindings.map((row) => [`${row.g!.value} ${row.s!.value}`, Number(row.n!.value)]));
}

function start(stateDir: string): Promise<ChildServer> {
  return spawnServer([], { KG_WRITE_TOKEN: TOKEN, KG_STATE_DIR: stateDir, KG_SNAPSHOT_AFTER_BYTES: '4000', KG_WORKERS: '1', KG_MAX_WORKERS: '2' });
}

describe('crash safety', () => {
  it('keeps every acknowledged write through repeated SIGKILLs, snapshots included, and never half of one', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'kg-crash-'));
    const random = fc.sample(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 60 })), { numRuns: 8, seed: 20261127 });
    /** The latest known state of each (graph, subject): true present, false absent; a PUT graph holds one subject. */
    const expected = new Map<string, boolean>();
    let next = 0;
    let snapshots = 0;
    let killedInSnapshot = 0;
    let sourceAcknowledged = false;
    const apply = (i: number) => {
      const effect = effectOf(i);
      if (effect.graph.startsWith('urn:crash:put')) for (const key of expected.keys()) if (key.startsWith(`${effect.graph} `)) expected.set(key, false);
      expected.set(`${effect.graph} urn:crash:w${effect.subject}`, effect.present);
    };

    /** The write in flight at the last kill and its answer (0: none came), settled at the next start. */
    let pending: { write: number; status: number } | undefined;
    /** The in-flight write's outcome, read first: it becomes part of what is expected. */
    const settlePending = (counts: Map<string, number>) => {
      if (!pending) return;
      const effect = effectOf(pending.write);
      const key = `${effect.graph} urn:crash:w${effect.subject}`;
      const count = counts.get(key) ?? 0;
      expect([0, MARKERS], key).toContain(count);
      const applied = (count === MARKERS) === effect.present;
      if (pending.status >= 200 && pending.status < 300) expect(applied, `acknowledged write ${pending.write}`).toBe(true);
      if (applied) apply(pending.write);
      pending = undefined;
    };
    /** The state the last kill left: every acknowledged write, and the write in flight whole or absent. */
    const expectKept = async (url: string) => {
      const counts = await markerCounts(url);
      settlePending(counts);
      for (const [key, present] of expected) expect(counts.get(key) ?? 0, key).toBe(present ? MARKERS : 0);
      for (const [key, count] of counts) expect([0, MARKERS], key).toContain(count);
      if (sourceAcknowledged) expect(await countRows(url, 'SELECT * WHERE { <http://127.0.0.1:7878/id/event/bishkek-consultations-2021-10-05> ?p ?o }')).toBe(7);
    };

    // Each start after a kill is checked, then takes the next run's writes until the next kill.
    for (const [run, [acknowledgedWrites, killAfterMs]] of random.entries()) {
      const server = await start(stateDir);
      await expectKept(server.url);
      if (!sourceAcknowledged) {
        expect((await postSource(server.url)).status).toBe(201);
        sourceAcknowledged = true;
      }
      for (let n = 0; n < acknowledgedWrites; n++, next++) {
        const response = await writeRequest(server.url, next);
        expect(response.status, await response.text()).toBeLessThan(300);
        apply(next);
      }
      let inFlight: number;
      let status: number;
      if (run % 2 === 0) {
        // One more write, killed while it may be anywhere: parsing, checking, journaling, publishing.
        inFlight = next++;
        const answer = writeRequest(server.url, inFlight).then((response) => response.status, () => 0);
        await new Promise((resolve) => setTimeout(resolve, killAfterMs));
        server.process.kill('SIGKILL');
        status = await answer;
      } else {
        // Writes until a snapshot starts, killed the moment its temporary file appears.
        const watcher = watch(stateDir, (_event, name) => {
          if (name === 'snapshot.rdfp.tmp') server.process.kill('SIGKILL');
        });
        for (;;) {
          inFlight = next++;
          status = await writeRequest(server.url, inFlight).then((response) => response.status, () => 0);
          if (status === 0) break;
          expect(status).toBeLessThan(300);
          apply(inFlight);
        }
        watcher.close();
        killedInSnapshot++;
      }
      await server.exited;
      snapshots += readdirSync(stateDir).includes('snapshot.rdfp') ? 1 : 0;
      pending = { write: inFlight, status };
    }
    const last = await start(stateDir);
    await expectKept(last.url);
    last.process.kill('SIGKILL');
    await last.exited;
    expect(snapshots).toBeGreaterThan(0);
    expect(killedInSnapshot).toBe(4);
    const journal = await runKg(['journal'], { KG_STATE_DIR: stateDir });
    expect(journal.code, journal.stderr).toBe(0);
    expect(journal.stdout).toMatch(/^\S+Z {2}(snapshot|writer)/);
  }, 120_000);

  it('starts with a warning when the journal ends with a torn record, cutting it off and keeping the rest', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'kg-torn-'));
    let server = await startTestServer({ workers: 1, writeToken: TOKEN, stateDir });
    expect((await postUpdate(server.url, 'INSERT DATA { GRAPH <urn:torn> { <urn:kept> <urn:p> 1 } }')).status).toBe(204);
    expect((await postUpdate(server.url, 'INSERT DATA { GRAPH <urn:torn> { <urn:lost> <urn:p> 2 } }')).status).toBe(204);
    await server.close();
    const journalPath = join(stateDir, 'journal.rdfp');
    const text = readFileSync(journalPath, 'utf8');
    const lastRecord = text.slice(text.lastIndexOf('H id '));
    // A crash in the middle of the next record's write: its headers and half its body are on disk.
    appendFileSync(journalPath, lastRecord.slice(0, Math.floor(lastRecord.length / 2)));
    const goodLength = Buffer.byteLength(text);

    const readOnly = await startTestServer({ workers: 1, stateDir });
    expect(readOnly.logLines().some((line) => line.level === 40 && String(line.msg).startsWith('the journal ends with a torn or damaged record'))).toBe(true);
    expect(await countRows(readOnly.url, 'SELECT * WHERE { GRAPH <urn:torn> { ?s ?p ?o } }')).toBe(2);
    await readOnly.close();
    expect(statSync(journalPath).size).toBeGreaterThan(goodLength);

    server = await startTestServer({ workers: 1, writeToken: TOKEN, stateDir });
    const warning = server.logLines().find((line) => line.level === 40 && line.msg === 'the journal ended with a torn or damaged record; it was cut off and not applied');
    expect(warning).toMatchObject({ keptRecords: 2, problem: expect.stringMatching(/torn write/) });
    expect(statSync(journalPath).size).toBe(goodLength);
    expect(readdirSync(stateDir).some((name) => name.startsWith('journal.torn-'))).toBe(true);
    expect(await countRows(server.url, 'SELECT * WHERE { GRAPH <urn:torn> { ?s ?p ?o } }')).toBe(2);
    expect((await postUpdate(server.url, 'INSERT DATA { GRAPH <urn:torn> { <urn:after> <urn:p> 3 } }')).status).toBe(204);
    await server.close();
    const journal = await runKg(['journal'], { KG_STATE_DIR: stateDir });
    expect(journal.code).toBe(0);
    expect(journal.stderr).toBe('');
    expect(journal.stdout.trim().split('\n')).toHaveLength(3);
  });
});
