// Reads the saved queries in queries/*.rq: name, title and description from the header comments.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DataError } from '../core/errors.ts';

export interface SavedQuery {
  /** The file name without .rq: the query's id in URLs. */
  name: string;
  title: string;
  description: string;
  query: string;
  file: string;
}

const HEADER_FIELD = /^#\s*(title|description):\s*(.+?)\s*$/;

/** Every saved query of `dir`, sorted by name; a file without a title or description is an error. */
export function loadSavedQueries(dir: string): SavedQuery[] {
  const problems: string[] = [];
  const queries: SavedQuery[] = [];
  for (const fileName of readdirSync(dir).filter((name) => name.endsWith('.rq')).sort()) {
    const file = join(dir, fileName);
    const query = readFileSync(file, 'utf8');
    const header = parseHeader(query);
    if (!header.title || !header.description) {
      problems.push(`${file}: needs "# title: ..." and "# description: ..." header comments`);
      continue;
    }
    queries.push({ name: basename(fileName, '.rq'), title: header.title, description: header.description, query, file });
  }
  if (problems.length > 0) throw new DataError('saved queries without a header', problems);
  return queries;
}

function parseHeader(query: string): { title?: string; description?: string } {
  const header: { title?: string; description?: string } = {};
  for (const line of query.split('\n')) {
    if (!line.startsWith('#')) break;
    const match = HEADER_FIELD.exec(line);
    if (match) header[match[1] as 'title' | 'description'] = match[2]!;
  }
  return header;
}
