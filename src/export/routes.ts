// GET /export: the whole dataset as a download, by Accept or ?format=. The data never changes
// while the server runs, so each format is serialized once (in a worker) and then served from memory.

import express, { type Router } from 'express';
import { contentTypeOf, syntaxOf, type Format } from '../http/formats.ts';
import { negotiateFormat } from '../http/negotiate.ts';
import { formatParam } from '../http/rdf-response.ts';
import type { QueryExecutor } from '../sparql/protocol.ts';

export const EXPORT_PATH = '/export';

export function exportRoutes(options: { executor: QueryExecutor; maxResultBytes: number }): Router {
  const router = express.Router();
  const cache = new Map<string, Promise<string>>();
  const exported = (format: Format) => {
    let body = cache.get(format.id);
    if (!body) {
      body = options.executor.execute({ kind: 'export', syntax: syntaxOf(format), maxResultBytes: options.maxResultBytes });
      body.catch(() => cache.delete(format.id));
      cache.set(format.id, body);
    }
    return body;
  };

  router.get(EXPORT_PATH, async (req, res) => {
    const format = negotiateFormat('graph', req.get('accept'), formatParam(req));
    const body = await exported(format);
    res.vary('Accept');
    res.set('Content-Disposition', `attachment; filename="diplomacy-kg.${format.extension}"`);
    res.type(contentTypeOf(format)).send(body);
  });
  return router;
}
