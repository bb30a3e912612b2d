// What new workers load: the dataset's parts, packed once the first workers have them, and a
// dataset packed at an earlier start unpacked again for the first workers of the next one.
import { describe, expect, it } from 'vitest';
import { PoolDataset, unpack, unpackedPart } from '../../../src/engine/embedded/pool-dataset.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const DATA = Array.from({ length: 3000 }, (_, i) => `<urn:s${i}> <urn:p> "value ${i}" <urn:g> .\n`).join('');
const DERIVED = Array.from({ length: 1000 }, (_, i) => `<urn:s${i}> <urn:q> <urn:o${i}> .\n`).join('');

describe('the pool dataset', () => {
  it('packs its parts, and unpacks them into shared memory as they were', async () => {
    const dataset = new PoolDataset(encode(DATA), false);
    dataset.add(encode(DERIVED), true);
    const packed = (await dataset.pack())!;
    expect(packed.rawSizes).toEqual([DATA.length, DERIVED.length]);
    expect(packed.packedBytes).toBeLessThan(packed.rawBytes / 4);
    expect(dataset.forWorker.gzipped).toBe(true);

    const unpacked = await unpack(packed);
    expect(unpacked.parts.map(decode)).toEqual([DATA, DERIVED]);
    expect(unpacked.parts.every((part) => part.buffer instanceof SharedArrayBuffer)).toBe(true);
  });

  it('gives the first workers the unpacked parts, and packing swaps in the packed ones without gzipping again', async () => {
    const first = new PoolDataset(encode(DATA), true);
    const packed = (await first.pack())!;
    const dataset = PoolDataset.unpacked(await unpack(packed));
    expect(dataset.forWorker.gzipped).toBe(false);
    expect(dataset.forWorker.complete).toBe(true);
    expect(dataset.rawBytes).toBe(DATA.length);
    const again = (await dataset.pack())!;
    expect(again.parts).toBe(packed.parts);
    expect(dataset.forWorker).toMatchObject({ gzipped: true, parts: packed.parts });
    expect(decode(unpackedPart(dataset.forWorker.parts[0]!, true))).toBe(DATA);
  });

  it('refuses a packed part that does not unpack to the size it was packed from', async () => {
    const packed = (await new PoolDataset(encode(DATA), true).pack())!;
    await expect(unpack({ ...packed, rawSizes: [DATA.length - 1] })).rejects.toThrow(`a packed part unpacks to more than its ${DATA.length - 1} bytes`);
    await expect(unpack({ ...packed, rawSizes: [DATA.length + 1] })).rejects.toThrow(`a packed part unpacks to ${DATA.length} bytes, not ${DATA.length + 1}`);
  });
});
