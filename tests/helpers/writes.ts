// Requests of the write tests: updates, Graph Store Protocol calls, counts, all over HTTP.

import { readFileSync } from 'node:fs';

export const TOKEN = 'test-write-token-0123456789';
export const auth = (token = TOKEN) => ({ authorization: `Bearer ${token}` });

export function postUpdate(url: string, update: string, headers: Record<string, string> = auth()): Promise<Response> {
  return fetch(`${url}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-update', ...headers }, body: update });
}

/** The number of solutions of a SELECT (JSON results). */
export async function countRows(url: string, query: string): Promise<number> {
  const response = await fetch(`${url}/sparql?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/sparql-results+json' } });
  if (response.status !== 200) throw new Error(`query failed with ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { results: { bindings: unknown[] } }).results.bindings.length;
}

export async function askQuery(url: string, query: string): Promise<boolean> {
  const response = await fetch(`${url}/sparql?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/sparql-results+json' } });
  return ((await response.json()) as { boolean: boolean }).boolean;
}

/**
 * Every quad of every named graph, as sorted lines: the store's state, to compare before and after.
 * Blank nodes (the shapes' property nodes) are left out: their labels change with every load.
 */
export async function storeState(url: string): Promise<string> {
  const query = 'SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER (!isBlank(?s) && !isBlank(?o)) }';
  const response = await fetch(`${url}/sparql?query=${encodeURIComponent(query)}`, { headers: { accept: 'text/tab-separated-values' } });
  return (await response.text()).split('\n').slice(1).sort().join('\n');
}

export const NEW_SOURCE = 'tests/fixtures/new-source/bishkek-consultations-2021-10-05';

/** POST /sources as multipart/form-data with the fixture's text and data (or others given). */
export function postSource(url: string, headers: Record<string, string> = auth(),
  parts: { text?: string; data?: string; slug?: string } = {}): Promise<Response> {
  const form = new FormData();
  form.append('text', new Blob([parts.text ?? readFileSync(`${NEW_SOURCE}.txt`, 'utf8')], { type: 'text/plain' }), `${parts.slug ?? 'bishkek-consultations-2021-10-05'}.txt`);
  form.append('data', new Blob([parts.data ?? readFileSync(`${NEW_SOURCE}.trig`, 'utf8')], { type: 'application/trig' }), 'data.trig');
  return fetch(`${url}/sources`, { method: 'POST', headers, body: form });
}
