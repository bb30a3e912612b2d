// What the pool's new workers load: the dataset as N-Quads in parts (see GraphStore.dumpAll and
// dumpDerived), kept as they are while the first workers load them, then gzipped: only the
// workers started later (replacements, extra workers) need them, and on a million triples the
// 450 MB of N-Quads held for them become about a sixth of that.

import { gunzipSync, gzip } from 'node:zlib';
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

export class PoolDataset {
  #parts: Uint8Array[];
  #gzipped = false;
  #complete: boolean;
  #rawBytes: number;
  /** Changes with the parts: a packing finished after a change is dropped. */
  #generation = 0;

  constructor(first: Uint8Array, complete: boolean) {
    this.#parts = [first];
    this.#complete = complete;
    this.#rawBytes = first.length;
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
    this.#generation++;
  }

  /**
   * Gzips the parts on libuv's threads (not this one), then holds only that. Resolves to the
   * sizes, or to undefined when there was nothing to pack or the parts changed meanwhile.
   */
  async pack(): Promise<{ rawBytes: number; packedBytes: number } | undefined> {
    if (this.#gzipped || !this.#complete) return undefined;
    const generation = this.#generation;
    const packed = await Promise.all(this.#parts.map(async (part) => shared(await gzipAsync(part, { level: 1 }))));
    if (generation !== this.#generation) return undefined;
    this.#parts = packed;
    this.#gzipped = true;
    return { rawBytes: this.#rawBytes, packedBytes: packed.reduce((bytes, part) => bytes + part.length, 0) };
  }
}

/** A part as N-Quads bytes, unpacked if it was packed (in the worker that loads it). */
export function unpackedPart(part: Uint8Array, gzipped: boolean): Uint8Array {
  return gzipped ? gunzipSync(part) : part;
}

/** A copy in shared memory: posted to every new worker without a copy each. */
function shared(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(new SharedArrayBuffer(bytes.length));
  copy.set(bytes);
  return copy;
}
