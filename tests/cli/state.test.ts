// The state directory from the command line: kg add-source, kg journal, kg snapshot, and the
// offline commands reading what was written.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKg } from '../helpers/cli.ts';
import { startTestServer } from '../helpers/server.ts';
import { NEW_SOURCE, TOKEN } from '../helpers/writes.ts';

const EVENT = 'http://127.0.0.1:7878/id/event/bishkek-consultations-2021-10-05';

describe('kg add-source, journal and snapshot', () => {
  it('adds a source durably, lists it in the journal, and folds it into a snapshot', async () => {
    const env = { KG_STATE_DIR: join(mkdtempSync(join(tmpdir(), 'kg-cli-state-')), 'state') };
    const added = await runKg(['add-source', `${NEW_SOURCE}.txt`, `${NEW_SOURCE}.trig`, '--author', 'editor'], env);
    expect(added.stderr).toBe('');
    expect(added.stdout).toBe(`added source bishkek-consultations-2021-10-05: 57 quads in 4 graphs, journaled in ${env.KG_STATE_DIR}\n`);

    const query = await runKg(['query', `SELECT ?date WHERE { <${EVENT}> <http://schema.org/startDate> ?date }`, '-f', 'csv'], env);
    expect(query.stdout).toBe('date\r\n2021-10-05\r\n');
    const journal = await runKg(['journal'], env);
    expect(journal.stdout).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z {2}editor {8}-0 \+57 quads in 5 graphs {2}urn:uuid:[0-9a-f-]{36}\n$/);

    const again = await runKg(['add-source', `${NEW_SOURCE}.txt`, `${NEW_SOURCE}.trig`], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('kg: a source named "bishkek-consultations-2021-10-05" is already in the graph (<http://127.0.0.1:7878/id/graph/bishkek-consultations-2021-10-05>)\n');

    const snapshot = await runKg(['snapshot'], env);
    expect(snapshot.stdout).toBe(`snapshot written: 1 journal records folded into ${env.KG_STATE_DIR}/snapshot.rdfp\n`);
    expect(statSync(join(env.KG_STATE_DIR, 'journal.rdfp')).size).toBe(0);
    expect(readFileSync(join(env.KG_STATE_DIR, 'snapshot.rdfp'), 'utf8')).toMatch(/^H id <urn:uuid:[0-9a-f-]+> \.\nH last <urn:uuid:[0-9a-f-]+> \.\nH creator "snapshot" \./);
    const validate = await runKg(['validate'], env);
    expect(validate.stdout).toMatch(/^valid: \d+ quads in 26 named graphs conform to the shapes\n$/);
  });

  it('refuses a source whose text its anchors do not fit, and journals nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-cli-state-'));
    const text = join(dir, 'bishkek-consultations-2021-10-05.txt');
    writeFileSync(text, readFileSync(`${NEW_SOURCE}.txt`, 'utf8').replace('October 5', 'October 15'));
    const env = { KG_STATE_DIR: join(dir, 'state') };
    const result = await runKg(['add-source', text, `${NEW_SOURCE}.trig`], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^kg: the write was refused and nothing of it applied: .*\n {2}- .*\/s02>: nif:anchorOf "On October 5, 2021, .*" is not the source text at 52\.\.256/s);
    expect(statSync(join(env.KG_STATE_DIR, 'journal.rdfp')).size).toBe(0);
  });

  it('will not take a state directory a running server writes to', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'kg-cli-state-'));
    const server = await startTestServer({ workers: 1, writeToken: TOKEN, stateDir });
    try {
      const result = await runKg(['snapshot'], { KG_STATE_DIR: stateDir });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`kg: the state directory ${stateDir} is in use by process ${process.pid} (a running server); stop it, or use its HTTP write routes\n`);
    } finally {
      await server.close();
    }
    expect(existsSync(join(stateDir, 'lock'))).toBe(false);
  });
});
