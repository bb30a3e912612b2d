// JSON-LD with a context: the dataset's N-Quads, turned into JSON-LD and compacted with the
// project's prefixes by jsonld.js, the reference implementation.

import { PREFIXES } from '../../core/namespaces.ts';
import { mediaTypeOf } from '../../core/formats.ts';

export async function jsonLdWithContext(nquads: string): Promise<string> {
  // Imported on use: jsonld took 0.15 s of every CLI run and server start that loaded this file,
  // and most never write JSON-LD.
  const { default: jsonld } = await import('jsonld');
  const expanded = await jsonld.fromRDF(nquads, { format: mediaTypeOf('nquads') as 'application/n-quads' });
  const compacted = await jsonld.compact(expanded, { '@context': { ...PREFIXES } } as never);
  return `${JSON.stringify(compacted, null, 2)}\n`;
}
