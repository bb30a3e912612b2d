// The whole dataset in one RDF format: triple formats hold the union of all graphs, quad formats
// (TriG, N-Quads, JSON-LD) keep the named graphs so that the provenance of every fact survives.

import type { RdfSyntax } from '../../core/formats.ts';
import type { GraphStore } from './graph-store.ts';
import { prettyTurtle } from './pretty-turtle.ts';
import { jsonLdWithContext } from './jsonld.ts';

export async function dumpDataset(store: GraphStore, syntax: RdfSyntax): Promise<string> {
  switch (syntax) {
    case 'turtle':
      return prettyTurtle(store.quads(''));
    case 'trig':
      return prettyTurtle(store.quads(), { keepGraphs: true });
    case 'jsonld':
      return jsonLdWithContext(store.dump('nquads'));
    default:
      return store.dump(syntax);
  }
}
