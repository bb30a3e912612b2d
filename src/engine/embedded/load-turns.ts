// Turns at loading the store, shared by a pool's workers: at most so many load at once. On a
// machine of two cores, two workers loading a million triples beside the main thread (which
// derives and checks the same graph meanwhile) make three threads take turns on two cores, and
// every one of them finishes late; loading one after the other, each at full speed on the core
// the main thread leaves, gets all of them ready sooner (two oxigraph loads at once ran 1.7x
// slower each on such a machine with nothing else running: they contend for memory too).

import { availableParallelism } from 'node:os';

/** A counting semaphore in shared memory: the number of turns free. */
export type LoadTurns = Int32Array;

/** Turns for a pool: one core is left to the main thread, the others load (at least one). */
export function createLoadTurns(permits = Math.max(1, availableParallelism() - 1)): LoadTurns {
  const turns = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  turns[0] = permits;
  return turns;
}

/**
 * Runs `load` in a turn: waits (blocking this worker thread, which has nothing else to do before
 * it is loaded) until a turn is free, and gives it back however `load` ends.
 */
export function inTurn<T>(turns: LoadTurns | undefined, load: () => T): T {
  if (!turns) return load();
  takeTurn(turns);
  try {
    return load();
  } finally {
    Atomics.add(turns, 0, 1);
    Atomics.notify(turns, 0, 1);
  }
}

/** One more turn, for good: the core the build used is free (see QueryPool.buildEnded). */
export function addTurn(turns: LoadTurns): void {
  Atomics.add(turns, 0, 1);
  Atomics.notify(turns, 0, 1);
}

function takeTurn(turns: LoadTurns): void {
  for (;;) {
    const free = Atomics.load(turns, 0);
    if (free > 0) {
      if (Atomics.compareExchange(turns, 0, free, free - 1) === free) return;
    } else {
      Atomics.wait(turns, 0, free);
    }
  }
}
