// The write routes besides SPARQL Update: the Graph Store Protocol at /store, new sources at
// /sources, and the journal at /changes. Every route that changes data, and /changes, checks the
// write token before it reads a byte of the body.

import express, { type Router } from 'express';
import { STORE_METHODS, STORE_PATH, getGraph, graphTarget, writeGraph } from '../protocol/graph-store.ts';
import { SOURCES_PATH, postSource } from '../protocol/sources.ts';
import { CHANGES_PATH, getChanges } from '../protocol/changes.ts';
import { authorize, type WriteContext } from '../protocol/write-context.ts';
import { methodNotAllowed } from '../core/errors.ts';
import { protocolRequest, sendResponse } from './exchange.ts';
import { readBody } from './body.ts';

export interface WriteRoutesOptions extends WriteContext {
  maxUploadBytes: number;
}

export function writeRoutes(options: WriteRoutesOptions): Router {
  const router = express.Router();
  const upload = (req: express.Request) => readBody(req, options.maxUploadBytes, 'KG_MAX_UPLOAD_BYTES');

  const store = async (req: express.Request, res: express.Response) => {
    const request = protocolRequest(req);
    const target = graphTarget(request, req.path, options);
    if (req.method === 'GET' || req.method === 'HEAD') {
      sendResponse(res, await getGraph(request, target, options));
      return;
    }
    if (!['PUT', 'POST', 'DELETE'].includes(req.method)) throw methodNotAllowed(`${req.method} is not supported on ${STORE_PATH}`, STORE_METHODS);
    const { author, writer } = authorize(options, request);
    res.locals.author = author;
    const bytes = req.method === 'DELETE' ? undefined : await upload(req);
    sendResponse(res, await writeGraph({ ...request, ...(bytes ? { bytes } : {}) }, target, writer, author, options));
  };
  router.all(STORE_PATH, store);
  router.all(`${STORE_PATH}/*path`, store);

  router.post(SOURCES_PATH, async (req, res) => {
    const request = protocolRequest(req);
    const { author, writer } = authorize(options, request);
    res.locals.author = author;
    sendResponse(res, await postSource({ ...request, bytes: await upload(req) }, writer, author, options));
  });
  router.all(SOURCES_PATH, (req) => {
    throw methodNotAllowed(`${req.method} is not supported on ${SOURCES_PATH}; POST a new source`, 'POST, OPTIONS');
  });

  router.get(CHANGES_PATH, async (req, res) => {
    const request = protocolRequest(req);
    res.locals.author = authorize(options, request).author;
    sendResponse(res, await getChanges(request, options));
  });
  router.all(CHANGES_PATH, (req) => {
    throw methodNotAllowed(`${req.method} is not supported on ${CHANGES_PATH}; GET it`, 'GET, HEAD, OPTIONS');
  });
  return router;
}
