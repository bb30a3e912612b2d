// GET /export: the whole dataset as a download, by Accept or ?format=. From the embedded engine
// each format is serialized once (in a worker) and served from memory until the next write; from
// a remote store it is streamed page by page on every request.

import express, { type Router } from 'express';
import { contentTypeOf, type Format, type RdfSyntax } from '../core/formats.ts';
import type { Engine } from '../engine/engine.ts';
import { negotiateFormat } from '../protocol/negotiate.ts';
import { formatParam, urlParams } from '../protocol/params.ts';

export const EXPORT_PATH = '/export';

export function exportRoutes(options: { engine: Engine; maxResultBytes: number; onCommit?: (listener: () => void) => void }): Router {
  const router = express.Router();
  const cache = new Map<string, Promise<string>>();
  options.onCommit?.(() => cache.clear());
  const exported = (format: Format<RdfSyntax>) => {
    let body = cache.get(format.id);
    if (!body) {
      body = options.engine.dump({ syntax: format.id, maxResultBytes: options.maxResultBytes });
      body.catch(() => cache.delete(format.id));
      cache.set(format.id, body);
    }
    return body;
  };

  router.get(EXPORT_PATH, async (req, res) => {
    const format = negotiateFormat('graph', req.get('accept'), formatParam(urlParams(req.originalUrl)));
    res.vary('Accept');
    res.set('Content-Disposition', `attachment; filename="diplomacy-kg.${format.extension}"`);
    if (options.engine.dumpStream) return streamExport(options.engine.dumpStream.bind(options.engine), format, res, options.maxResultBytes);
    const body = await exported(format);
    res.type(contentTypeOf(format)).send(body);
  });
  return router;
}

/**
 * An engine over a remote store changes under us (other replicas write) and may hold more than
 * fits in memory: its dump is streamed page by page, never cached. The first page decides the
 * status; a failure after it can only cut the answer short (the connection is destroyed, so the
 * client sees an incomplete download, not a complete-looking one).
 */
async function streamExport(dump: NonNullable<Engine['dumpStream']>, format: Format<RdfSyntax>, res: express.Response, maxResultBytes: number): Promise<void> {
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const pages = dump({ syntax: format.id, maxResultBytes }, abort.signal)[Symbol.asyncIterator]();
  const first = await pages.next();
  res.type(contentTypeOf(format));
  if (!first.done) res.write(first.value);
  try {
    for (let page = await pages.next(); !page.done; page = await pages.next()) {
      if (!res.write(page.value)) await new Promise((resolve) => res.once('drain', resolve));
    }
  } catch {
    res.destroy();
    return;
  }
  res.end();
}
