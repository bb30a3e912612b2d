// GET /changes: the journal as RDF Patch, so that another system can follow this one's writes.
// The snapshot (everything folded so far, as one patch) comes first, then every write since, in
// order; `?after=<id>` gives only the writes after that one (410 if it was folded into the snapshot).

import { HttpError } from '../core/errors.ts';
import { RDF_PATCH_MEDIA_TYPE } from '../core/formats.ts';
import { readJournal } from '../writes/journal.ts';
import { encodeRecord } from '../writes/rdf-patch.ts';
import { ok, type ProtocolRequest, type ProtocolResponse } from './exchange.ts';
import { atMostOne } from './params.ts';
import { readStore, type WriteContext } from './write-context.ts';

export const CHANGES_PATH = '/changes';

export async function getChanges(request: ProtocolRequest, context: WriteContext): Promise<ProtocolResponse> {
  const after = atMostOne(request.url.getAll('after'), 'after');
  const body = await readStore(context, () => (after === undefined ? wholeJournal(context.stateDir) : journalAfter(context.stateDir, after)));
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
