// GET /changes: the journal as RDF Patch, so that another system can follow this one's writes.
// The snapshot (everything folded so far, as one patch) comes first, then every write since, in
// order; `?after=<id>` gives only the writes after that one (410 if it was folded into the snapshot).

import { HttpError, notFound } from '../core/errors.ts';
import { RDF_PATCH_MEDIA_TYPE } from '../core/formats.ts';
import { readJournal } from '../writes/journal.ts';
import { encodeRecord } from '../writes/rdf-patch.ts';
import { ok, type ProtocolRequest, type ProtocolResponse } from './exchange.ts';
import { atMostOne } from './params.ts';
import { readBetweenWrites, type WriteContext } from './write-context.ts';

export const CHANGES_PATH = '/changes';

export async function getChanges(request: ProtocolRequest, context: WriteContext): Promise<ProtocolResponse> {
  const after = atMostOne(request.url.getAll('after'), 'after');
  const dir = context.stateDir;
  if (dir === undefined) throw notFound(`over a remote store (KG_STORE=sparql) this server keeps no journal: the store holds every change; ${CHANGES_PATH} is served by an embedded server`);
  const body = await readBetweenWrites(context.writer, () => (after === undefined ? wholeJournal(dir) : journalAfter(dir, after)));
  return ok(`${RDF_PATCH_MEDIA_TYPE}; charset=utf-8`, body);
}

function wholeJournal(dir: string): string {
  const { snapshot, records } = readJournal(dir);
  return [...(snapshot ? [snapshot] : []), ...records].map(encodeRecord).join('');
}

function journalAfter(dir: string, after: string): string {
  const { records } = readJournal(dir);
  const index = records.findIndex((record) => record.id === after);
  if (index < 0) throw new HttpError(410, `the change ${after} is not in the journal (it was folded into the snapshot, or never made); read ${CHANGES_PATH} from the start`);
  return records.slice(index + 1).map(encodeRecord).join('');
}
