// GET /export: the whole dataset as a download, by Accept or ?format=. The data never changes
// while the server runs, so each format is serialized once (in a worker) and then served from memory.

import express, { type Router } from 'express';
import { contentTypeOf, type Format, type RdfSyntax } from '../core/formats.ts';
import type { Engine } from '../engine/engine.ts';
import { negotiateFormat } from '../protocol/negotiate.ts';
import { formatParam, urlParams } from '../protocol/params.ts';

export const EXPORT_PATH = '/export';

export function exportRoutes(options: { engine: Engine; maxResultBytes: number }): Router {
  const router = express.Router();
  const cache = new Map<string, Promise<string>>();
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
    const body = await exported(format);
    res.vary('Accept');
    res.set('Content-Disposition', `attachment; filename="diplomacy-kg.${format.extension}"`);
    res.type(contentTypeOf(format)).send(body);
  });
  return router;
}
