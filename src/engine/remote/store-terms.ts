// Terms between SPARQL JSON rows and RDF/JS, and quads as SPARQL Update data blocks.

import { DataFactory } from '../../core/n3.ts';
import type * as RDF from '@rdfjs/types';
import { termOf, type JsonRow } from '../select-rows.ts';
import { serializeQuads } from '../rdf/quads.ts';

/** Rows of ?s ?p ?o (and ?g when `graph` is not given) as quads. */
export function quadsFromRows(rows: JsonRow[], graph?: RDF.Quad_Graph): RDF.Quad[] {
  const quads: RDF.Quad[] = [];
  for (const row of rows) {
    if (!row.s || !row.p || !row.o) continue;
    const g = graph ?? (row.g ? termOf(row.g) as RDF.Quad_Graph : DataFactory.defaultGraph());
    quads.push(DataFactory.quad(termOf(row.s) as RDF.Quad_Subject, termOf(row.p) as RDF.Quad_Predicate, termOf(row.o) as RDF.Quad_Object, g));
  }
  return quads;
}

/** Quads as the inside of INSERT DATA / DELETE DATA, at most `size` quads per block. */
export function dataBlocks(quads: RDF.Quad[], size: number): string[] {
  const blocks: string[] = [];
  for (let start = 0; start < quads.length; start += size) {
    const byGraph = new Map<string, RDF.Quad[]>();
    for (const quad of quads.slice(start, start + size)) {
      const list = byGraph.get(quad.graph.value) ?? [];
      list.push(DataFactory.quad(quad.subject, quad.predicate, quad.object));
      byGraph.set(quad.graph.value, list);
    }
    blocks.push([...byGraph].map(([graph, triples]) => `GRAPH <${graph}> { ${serializeQuads(triples, 'ntriples')} }`).join('\n'));
  }
  return blocks;
}
