// What the pool's new workers load: the dataset as N-Quads in parts (see GraphStore.dumpAll and
// dumpGraph), kept as they are while the first workers load them, then gzipped: only the
// workers started later (replacements, extra workers) need them, and on a million triples the
// 270 MB of N-Quads held for them become 16 MB.

import { createGunzip, gunzipSync, gzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';

const gzipAsync = promisify(gzip);

/** What a worker's load message carries of the dataset. */
export interface DatasetForWorker {
  parts: Uint8Array[];
  /** The parts are gzipped: the worker unpacks each before loading it. */
  gzipped: boolean;
  /** Whether `parts` is all of it; if not, the rest comes in part messages. */
  complete: boolean;
}

/** Gzipped parts in shared memory, and the bytes of N-Quads each unpacks to. */
export interface PackedDataset {
  parts: Uint8Array[];
  rawSizes: number[];
}

/** What packing made, with the sizes before and after for the log. */
export type PackedSizes = PackedDataset & { rawBytes: number; packedBytes: number };

/** A packed dataset unpacked again (see unpack), with the packed parts it came from. */
export interface UnpackedDataset {
  parts: Uint8Array[];
  packed: PackedDataset;
}

export class PoolDataset {
  #parts: Uint8Array[];
  #gzipped = false;
  #complete: boolean;
  #rawBytes: number;
  /** Changes with the parts: a packing finished after a change is dropped. */
  #generation = 0;
  /** The parts as they were packed before, if they were (see `unpacked`). */
  #packedBefore?: PackedDataset;

  constructor(first: Uint8Array, complete: boolean) {
    this.#parts = [first];
    this.#complete = complete;
    this.#rawBytes = first.length;
  }

  /**
   * A whole dataset packed before (kept from an earlier start) and unpacked: the first workers get
   * the unpacked parts, and packing only swaps in the packed ones.
   */
  static unpacked(dataset: UnpackedDataset): PoolDataset {
    const pool = new PoolDataset(new Uint8Array(0), true);
    pool.#parts = dataset.parts;
    pool.#rawBytes = dataset.parts.reduce((bytes, part) => bytes + part.length, 0);
    pool.#packedBefore = dataset.packed;
    return pool;
  }

  get forWorker(): DatasetForWorker {
    return { parts: this.#parts, gzipped: this.#gzipped, complete: this.#complete };
  }

  /** Bytes of N-Quads the dataset holds, gzipped or not. */
  get rawBytes(): number {
    return this.#rawBytes;
  }

  /** The next part, as it is (workers are loading: it is no time to pack). */
  add(part: Uint8Array, last: boolean): void {
    if (this.#gzipped) throw new Error('a part cannot follow a dataset already packed');
    this.#parts.push(part);
    this.#complete = last;
    this.#rawBytes += part.length;
    this.#generation++;
  }

  /** A new dataset in one part (a rebase after writes). */
  replace(nquads: Uint8Array): void {
    this.#parts = [nquads];
    this.#gzipped = false;
    this.#complete = true;
    this.#rawBytes = nquads.length;
    this.#packedBefore = undefined;
    this.#generation++;
  }

  /**
   * Gzips the parts on libuv's threads (not this one), then holds only that. Resolves to the
   * sizes, or to undefined when there was nothing to pack or the parts changed meanwhile.
   */
  async pack(): Promise<PackedSizes | undefined> {
    if (this.#gzipped || !this.#complete) return undefined;
    const generation = this.#generation;
    const rawSizes = this.#parts.map((part) => part.length);
    const packed = this.#packedBefore?.parts ?? await Promise.all(this.#parts.map(async (part) => shared(await gzipAsync(part, { level: 1 }))));
    if (generation !== this.#generation) return undefined;
    this.#parts = packed;
    this.#gzipped = true;
    return { parts: packed, rawSizes, rawBytes: this.#rawBytes, packedBytes: packed.reduce((bytes, part) => bytes + part.length, 0) };
  }
}

/**
 * The parts of a packed dataset unpacked into shared memory, on libuv's threads: what the first
 * workers load (each unpacking its own would leave each thread's memory fragmented for good).
 */
export async function unpack(packed: PackedDataset): Promise<UnpackedDataset> {
  const parts = await Promise.all(packed.parts.map((part, index) => unpackInto(part, packed.rawSizes[index]!)));
  return { parts, packed };
}

async function unpackInto(part: Uint8Array, rawSize: number): Promise<Uint8Array> {
  const raw = new Uint8Array(new SharedArrayBuffer(rawSize));
  let at = 0;
  for await (const chunk of Readable.from([part]).pipe(createGunzip()) as AsyncIterable<Buffer>) {
    if (at + chunk.length > rawSize) throw new Error(`a packed part unpacks to more than its ${rawSize} bytes`);
    raw.set(chunk, at);
    at += chunk.length;
  }
  if (at !== rawSize) throw new Error(`a packed part unpacks to ${at} bytes, not ${rawSize}`);
  return raw;
}

/** A part as N-Quads bytes, unpacked if it was packed (in the worker that loads it). */
export function unpackedPart(part: Uint8Array, gzipped: boolean): Uint8Array {
  return gzipped ? gunzipSync(part) : part;
}

/** A copy in shared memory: posted to every new worker without a copy each. */
export function shared(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(new SharedArrayBuffer(bytes.length));
  copy.set(bytes);
  return copy;
}
