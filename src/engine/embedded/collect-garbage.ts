// A full garbage collection of the calling thread, asked for where a large dump has just been let go.
//
// The dumps the workers load live in SharedArrayBuffers (270 MB at 1M triples). Their memory is
// given back only once every thread that held them has collected the objects that pointed to
// them, and a thread at rest collects nothing: an idle server kept the dumps it no longer needed
// for as long as it stayed idle. Node exposes V8's collector only behind --expose-gc; the flag is
// set here and the collector taken from a context made after it (the flag is read when a context
// is made). A collection of what is left after a load takes 10-20 ms.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collector: (() => void) | undefined;

export function collectGarbage(): void {
  if (!collector) {
    setFlagsFromString('--expose-gc');
    collector = runInNewContext('gc') as () => void;
  }
  collector();
}
