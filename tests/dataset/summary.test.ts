import { describe, expect, it } from 'vitest';
import { rememberedSummary, storeSelect, summarizeDataset, type DatasetSummary, type SelectValues } from '../../src/dataset/summary.ts';
import { GraphStore } from '../../src/engine/rdf/graph-store.ts';

/** A store's SELECTs, each answered on a later turn, recording how many were asked at once. */
function slowSelect(store: GraphStore): { select: SelectValues; mostAtOnce: () => number; asked: () => number } {
  let running = 0;
  let most = 0;
  let asked = 0;
  const select: SelectValues = async (sparql) => {
    asked++;
    most = Math.max(most, ++running);
    await new Promise((resolve) => setImmediate(resolve));
    running--;
    return store.select(sparql);
  };
  return { select, mostAtOnce: () => most, asked: () => asked };
}

function smallStore(): GraphStore {
  const store = new GraphStore();
  store.load(`@prefix ex: <http://example.org/id/> . ex:a a ex:C ; ex:p ex:b .`, { syntax: 'turtle', baseIri: 'http://example.org/', graph: 'urn:g:1', source: 'test' });
  store.materializeUnionDefaultGraph();
  return store;
}

describe('the dataset summary', () => {
  it('asks its counts one at a time, so that it never holds more than one query worker', async () => {
    const slow = slowSelect(smallStore());
    const summary = await summarizeDataset(slow.select, 'http://example.org/id/');
    expect(slow.asked()).toBe(8);
    expect(slow.mostAtOnce()).toBe(1);
    expect(summary).toMatchObject({ triples: 2, entities: 1, distinctSubjects: 1, distinctObjects: 2 });
    expect(summary.namedGraphs).toEqual([{ iri: 'urn:g:1', triples: 2 }]);
  });

  it('is counted once for readers that come while it is counted, and again once forgotten', async () => {
    const slow = slowSelect(smallStore());
    const remembered = rememberedSummary(() => summarizeDataset(slow.select, 'http://example.org/id/'));
    const readers = await Promise.all(Array.from({ length: 5 }, () => remembered.get()));
    expect(slow.asked()).toBe(8);
    expect(new Set(readers).size).toBe(1);
    await remembered.get();
    expect(slow.asked()).toBe(8);
    remembered.forget();
    await remembered.get();
    expect(slow.asked()).toBe(16);
  });

  it('does not keep a failed count', async () => {
    let attempts = 0;
    const store = smallStore();
    const remembered = rememberedSummary(() => {
      attempts++;
      return attempts === 1 ? Promise.reject(new Error('the store is away')) : summarizeDataset(storeSelect(store), 'http://example.org/id/');
    });
    await expect(remembered.get()).rejects.toThrow('the store is away');
    const summary: DatasetSummary = await remembered.get();
    expect(summary.triples).toBe(2);
    expect(attempts).toBe(2);
  });
});
