// Whether a state directory holds writes: what a start checks before it may skip building the
// graph (a kept build holds the files alone; writes are checked with the graph).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFactory } from 'n3';
import { Journal, SNAPSHOT_FILE, hasWrites } from '../../src/writes/journal.ts';

const { quad, namedNode, literal } = DataFactory;
const change = { removed: [], added: [quad(namedNode('urn:s'), namedNode('urn:p'), literal('o'), namedNode('urn:g'))] };

describe('hasWrites', () => {
  it('is false for a missing directory and for a journal opened but never written to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-journal-'));
    expect(hasWrites(join(dir, 'none'))).toBe(false);
    const journal = await Journal.open(dir, { onWarning: () => undefined });
    await journal.close();
    expect(hasWrites(dir)).toBe(false);
  });

  it('is true once a write is journaled, and still after a snapshot folds it in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-journal-'));
    const journal = await Journal.open(dir, { onWarning: () => undefined });
    await journal.append('writer', change);
    expect(hasWrites(dir)).toBe(true);
    await journal.snapshot();
    await journal.close();
    expect(hasWrites(dir)).toBe(true);
  });

  it('is true for a damaged snapshot, whose replay will say what is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-journal-'));
    writeFileSync(join(dir, SNAPSHOT_FILE), 'not a record');
    expect(hasWrites(dir)).toBe(true);
  });
});
