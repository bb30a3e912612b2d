// Workers of a pool load the store in turns: no more at once than the turns allow, and a turn is
// given back however the load ends.
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { addTurn, createLoadTurns, inTurn } from '../../../src/engine/embedded/load-turns.ts';

// Indexes into the takers' shared state (see turn-taker.mjs).
const [MOST_INSIDE, GATE] = [1, 3];
const TAKER = new URL('../../fixtures/workers/turn-taker.mjs', import.meta.url);

/** Two workers that each take a turn and hold it until the gate opens. */
function twoTakers(permits: number) {
  const turns = createLoadTurns(permits);
  const state = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
  const workers = [0, 1].map(() => new Worker(TAKER, { workerData: { turns, state } }));
  const exited = Promise.all(workers.map((worker) => once(worker, 'exit')));
  let inTurns = 0;
  let onEntry = () => {};
  for (const worker of workers) {
    worker.on('message', () => {
      inTurns++;
      onEntry();
    });
  }
  /** Resolves to whether `count` workers have entered their turn within `ms`. */
  const entered = (count: number, ms: number) => new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(inTurns >= count), ms);
    onEntry = () => {
      if (inTurns < count) return;
      clearTimeout(timer);
      resolve(true);
    };
    onEntry();
  });
  const openGate = () => {
    Atomics.store(state, GATE, 1);
    Atomics.notify(state, GATE);
  };
  return { turns, state, entered, openGate, exited };
}

describe('load turns', () => {
  it('let as many workers load at once as there are turns', async () => {
    const takers = twoTakers(2);
    // Both inside at once, the gate still closed: only possible with two turns.
    expect(await takers.entered(2, 20_000)).toBe(true);
    takers.openGate();
    await takers.exited;
    expect(takers.state[MOST_INSIDE]).toBe(2);
    expect(takers.turns[0]).toBe(2);
  });

  it('make the second worker wait for the first with one turn', async () => {
    const takers = twoTakers(1);
    expect(await takers.entered(1, 20_000)).toBe(true);
    expect(takers.turns[0]).toBe(0);
    // The other worker must not come in while the first holds the only turn.
    expect(await takers.entered(2, 500)).toBe(false);
    takers.openGate();
    expect(await takers.entered(2, 20_000)).toBe(true);
    await takers.exited;
    expect(takers.state[MOST_INSIDE]).toBe(1);
    expect(takers.turns[0]).toBe(1);
  });

  it('let a worker that waits for the only turn in once a turn is added (the build ended)', async () => {
    const takers = twoTakers(1);
    expect(await takers.entered(1, 20_000)).toBe(true);
    expect(await takers.entered(2, 500)).toBe(false);
    addTurn(takers.turns);
    // In beside the first, which still holds its turn.
    expect(await takers.entered(2, 20_000)).toBe(true);
    takers.openGate();
    await takers.exited;
    expect(takers.state[MOST_INSIDE]).toBe(2);
    expect(takers.turns[0]).toBe(2);
  });

  it('give the turn back when the load throws', () => {
    const turns = createLoadTurns(1);
    expect(() => inTurn(turns, () => {
      throw new Error('the load failed');
    })).toThrow('the load failed');
    expect(turns[0]).toBe(1);
    expect(inTurn(turns, () => 'loaded')).toBe('loaded');
  });

  it('leave one core to the main thread, and give at least one turn', () => {
    expect(createLoadTurns()[0]).toBe(Math.max(1, availableParallelism() - 1));
  });
});
