// N3.js's term factory, parser and writer, each loaded from its own module. N3's index loads its
// stream classes too, and with them a stream library (readable-stream) that nothing here uses:
// about 40 ms of the start of every thread (the main thread, the build thread, each query worker).

import { createRequire } from 'node:module';
import type * as N3 from 'n3';

const require = createRequire(import.meta.url);

/** A CommonJS module of N3's lib/ folder: its one class or object is its default export. */
const defaultOf = <T>(path: string): T => (require(path) as { default: T }).default;

export const DataFactory = defaultOf<typeof N3.DataFactory>('n3/lib/N3DataFactory.js');
export const Parser = defaultOf<typeof N3.Parser>('n3/lib/N3Parser.js');
export const Writer = defaultOf<typeof N3.Writer>('n3/lib/N3Writer.js');
export type Parser = N3.Parser;
export type Writer = N3.Writer;
