// GET /queries lists the saved queries (JSON for machines, HTML for people);
// GET /queries/{name} runs one, with the negotiation and limits of /sparql.

import express, { type Router } from 'express';
import { badRequest, notFound } from '../core/errors.ts';
import { JSON_MEDIA_TYPE } from '../core/formats.ts';
import { prefersHtml } from '../protocol/negotiate.ts';
import { queryViaGet, type QueryContext } from '../protocol/query.ts';
import { protocolRequest } from './exchange.ts';
import { sendQueryAnswer } from './sparql.ts';
import { html, page } from './views/html.ts';
import type { SavedQuery } from '../dataset/saved-queries.ts';

export const QUERIES_PATH = '/queries';

/** The link that opens a query in the query page. */
export const uiLink = (query: string) => `/?query=${encodeURIComponent(query)}`;

export function savedQueryRoutes(queries: SavedQuery[], context: QueryContext): Router {
  const router = express.Router();
  const byName = new Map(queries.map((query) => [query.name, query]));

  router.get(QUERIES_PATH, (req, res) => {
    res.vary('Accept');
    if (prefersHtml(req.get('accept'), [JSON_MEDIA_TYPE], 'other')) {
      res.type('html').send(listPage(queries));
      return;
    }
    res.json(queries.map((query) => ({
      name: query.name,
      title: query.title,
      description: query.description,
      query: query.query,
      run: `${QUERIES_PATH}/${query.name}`,
      open: uiLink(query.query),
    })));
  });

  router.get(`${QUERIES_PATH}/:name`, async (req, res) => {
    const saved = byName.get(String(req.params.name));
    if (!saved) throw notFound(`no saved query named "${req.params.name}"; see ${QUERIES_PATH}`);
    const request = protocolRequest(req);
    if (request.url.has('query')) throw badRequest(`a saved query takes no query parameter; send your own query to /sparql`);
    await sendQueryAnswer(res, request, queryViaGet(new URLSearchParams([['query', saved.query], ...request.url])), context);
  });
  return router;
}

function listPage(queries: SavedQuery[]): string {
  return page('Saved queries', html`
<h1>Saved queries</h1>
<p>Each query answers one question about the graph. Add a <code>.rq</code> file to <code>queries/</code> to publish another.
They are also in the graph as <code>sh:SPARQLExecutable</code>s, for clients that discover examples by SPARQL.</p>
${queries.map((query) => html`
<section class="saved-query" id="${query.name}">
  <h2>${query.title}</h2>
  <p>${query.description}</p>
  <p><a href="${QUERIES_PATH}/${query.name}">Run (SPARQL JSON)</a> · <a href="${QUERIES_PATH}/${query.name}?format=csv">CSV</a> · <a href="${uiLink(query.query)}">Open in the query page</a></p>
  <pre>${query.query}</pre>
</section>`)}`);
}

