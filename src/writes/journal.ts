// The state directory: a journal of every acknowledged write (RDF Patch, framed, fsynced before the
// answer), a snapshot that folds the journal into one patch, and a lock so that one process
// writes at a time. The files in the data directory stay the read-only base the state applies to.
//
// Snapshots are crash-safe: written to a temporary file, fsynced, renamed over the old one (the
// directory fsynced), then the journal is truncated. A crash between rename and truncation leaves
// records the snapshot already holds; its `last` header says which, and they are skipped.

import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type * as RDF from '@rdfjs/types';
import type { QuadChange } from '../engine/engine.ts';
import { decodeRecords, encodeRecord, quadLine, type PatchRecord } from './rdf-patch.ts';

export const JOURNAL_FILE = 'journal.rdfp';
export const SNAPSHOT_FILE = 'snapshot.rdfp';
const LOCK_FILE = 'lock';

/** What the state directory holds, read without taking it over. */
export interface JournalContents {
  snapshot?: PatchRecord;
  /** Journal records after the snapshot, in order. */
  records: PatchRecord[];
  /** Bytes of the journal holding whole records. */
  goodBytes: number;
  /** A torn or damaged tail: where and why. */
  problem?: string;
}

/**
 * Whether the directory holds any write: a snapshot (damaged or not), a journal record, or a
 * journal's damaged tail. Whoever replays the state reports the damage.
 */
export function hasWrites(dir: string): boolean {
  if (!existsSync(join(dir, SNAPSHOT_FILE)) && !existsSync(join(dir, JOURNAL_FILE))) return false;
  try {
    const contents = readJournal(dir);
    return contents.snapshot !== undefined || contents.records.length > 0 || contents.problem !== undefined;
  } catch {
    return true;
  }
}

/** Reads the snapshot and the journal (if any); records the snapshot already includes are skipped. */
export function readJournal(dir: string): JournalContents {
  const snapshotPath = join(dir, SNAPSHOT_FILE);
  let snapshot: PatchRecord | undefined;
  if (existsSync(snapshotPath)) {
    const decoded = decodeRecords(readFileSync(snapshotPath));
    // A snapshot is renamed into place only once whole and synced: a bad one is not a torn write.
    if (decoded.problem || decoded.records.length !== 1) throw new Error(`the snapshot ${snapshotPath} is damaged: ${decoded.problem ?? 'expected one record'}`);
    snapshot = decoded.records[0];
  }
  const journalPath = join(dir, JOURNAL_FILE);
  if (!existsSync(journalPath)) return { ...(snapshot ? { snapshot } : {}), records: [], goodBytes: 0 };
  const decoded = decodeRecords(readFileSync(journalPath));
  const included = snapshot?.last ? decoded.records.findIndex((record) => record.id === snapshot.last) : -1;
  return {
    ...(snapshot ? { snapshot } : {}),
    records: decoded.records.slice(included + 1),
    goodBytes: decoded.goodBytes,
    ...(decoded.problem ? { problem: decoded.problem } : {}),
  };
}

/** The net effect of changes applied in order: for each quad touched, whether it is there at the end. */
export class NetChange {
  readonly #quads = new Map<string, { quad: RDF.Quad; present: boolean }>();

  apply(change: QuadChange): void {
    for (const quad of change.removed) this.#quads.set(quadLine(quad), { quad, present: false });
    for (const quad of change.added) this.#quads.set(quadLine(quad), { quad, present: true });
  }

  get size(): number {
    return this.#quads.size;
  }

  toChange(): QuadChange {
    const change: QuadChange = { removed: [], added: [] };
    for (const { quad, present } of this.#quads.values()) (present ? change.added : change.removed).push(quad);
    return change;
  }
}

export interface JournalOptions {
  /** A torn or damaged tail was cut off (and kept aside in a file of its own). */
  onWarning: (message: string, details: Record<string, unknown>) => void;
}

/** The writable journal of one state directory, held under its lock until closed. */
export class Journal {
  readonly #dir: string;
  readonly #handle: FileHandle;
  readonly #net = new NetChange();
  #bytes: number;
  #lastId?: string;
  #closed = false;
  /** Records in the journal since the snapshot. */
  records: number;

  private constructor(dir: string, handle: FileHandle, bytes: number, contents: JournalContents) {
    this.#dir = dir;
    this.#handle = handle;
    this.#bytes = bytes;
    if (contents.snapshot) this.#net.apply(contents.snapshot.change);
    for (const record of contents.records) this.#net.apply(record.change);
    this.#lastId = contents.records.at(-1)?.id ?? contents.snapshot?.last;
    this.records = contents.records.length;
  }

  get dir(): string {
    return this.#dir;
  }

  /**
   * Takes the state directory (creating it), cuts a torn tail off the journal (keeping the cut
   * bytes in journal.torn-<time>.rdfp, with a warning), and opens the journal for appending.
   */
  static async open(dir: string, options: JournalOptions): Promise<Journal> {
    mkdirSync(dir, { recursive: true });
    takeLock(dir);
    try {
      rmSync(join(dir, `${SNAPSHOT_FILE}.tmp`), { force: true });
      const contents = readJournal(dir);
      const path = join(dir, JOURNAL_FILE);
      if (contents.problem) cutTornTail(dir, path, contents, options);
      const handle = await open(path, 'a');
      return new Journal(dir, handle, contents.goodBytes, contents);
    } catch (error) {
      releaseLock(dir);
      throw error;
    }
  }

  /** Bytes in the journal since the last snapshot. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The state the snapshot and journal hold, as one change on top of the base data. */
  get state(): QuadChange {
    return this.#net.toChange();
  }

  /** Appends a write and returns once it is on disk (fsync): only then may it be acknowledged. */
  async append(author: string, change: QuadChange): Promise<PatchRecord> {
    const record: PatchRecord = {
      id: `urn:uuid:${randomUUID()}`,
      ...(this.#lastId ? { prev: this.#lastId } : {}),
      author,
      created: new Date().toISOString(),
      change,
    };
    const text = encodeRecord(record);
    await this.#handle.write(text);
    await this.#handle.datasync();
    this.#bytes += Buffer.byteLength(text);
    this.#lastId = record.id;
    this.records++;
    this.#net.apply(change);
    return record;
  }

  /** Folds everything into a new snapshot, atomically, and empties the journal. */
  async snapshot(): Promise<void> {
    const record: PatchRecord = {
      id: `urn:uuid:${randomUUID()}`,
      author: 'snapshot',
      created: new Date().toISOString(),
      change: this.#net.toChange(),
      ...(this.#lastId ? { last: this.#lastId } : {}),
    };
    const temporary = join(this.#dir, `${SNAPSHOT_FILE}.tmp`);
    const file = openSync(temporary, 'w');
    try {
      writeSync(file, encodeRecord(record));
      fsyncSync(file);
    } finally {
      closeSync(file);
    }
    renameSync(temporary, join(this.#dir, SNAPSHOT_FILE));
    syncDirectory(this.#dir);
    await this.#handle.truncate(0);
    await this.#handle.datasync();
    this.#bytes = 0;
    this.records = 0;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#handle.close();
    releaseLock(this.#dir);
  }
}

function cutTornTail(dir: string, path: string, contents: JournalContents, options: JournalOptions): void {
  const bytes = readFileSync(path);
  const aside = join(dir, `journal.torn-${new Date().toISOString().replace(/[:.]/g, '-')}.rdfp`);
  writeFileSync(aside, bytes.subarray(contents.goodBytes));
  const file = openSync(path, 'r+');
  try {
    // Cut and synced: the journal ends with its last whole record even after another crash.
    ftruncateSync(file, contents.goodBytes);
    fsyncSync(file);
  } finally {
    closeSync(file);
  }
  options.onWarning('the journal ended with a torn or damaged record; it was cut off and not applied', {
    problem: contents.problem,
    keptRecords: contents.records.length,
    droppedBytes: bytes.length - contents.goodBytes,
    savedAs: aside,
  });
}

/** A rename is durable once the directory holding it is synced. */
function syncDirectory(dir: string): void {
  const handle = openSync(dir, 'r');
  try {
    fsyncSync(handle);
  } finally {
    closeSync(handle);
  }
}

/**
 * One writer per state directory: the lock file holds the pid of its owner. A lock left by a
 * process that no longer runs (killed) is taken over.
 */
function takeLock(dir: string): void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) {
        throw new Error(`the state directory ${dir} is in use by process ${owner} (a running server); stop it, or use its HTTP write routes`);
      }
      if (owner === process.pid) throw new Error(`the state directory ${dir} is already open in this process`);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`cannot take the lock of the state directory ${dir}`);
}

function releaseLock(dir: string): void {
  rmSync(join(dir, LOCK_FILE), { force: true });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
