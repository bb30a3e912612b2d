// GET /: the query page, YASGUI served from the npm package (no CDN), pointed at /sparql, with the
// saved queries as examples and the project's prefixes declared in the first query.

import express, { type Router } from 'express';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PREFIXES } from '../../core/namespaces.ts';
import { html, page, Html } from '../views/html.ts';
import type { SavedQuery } from '../../dataset/saved-queries.ts';

const require = createRequire(import.meta.url);
const YASGUI_BUILD = dirname(require.resolve('@zazuko/yasgui/build/yasgui.min.js'));
const OWN_ASSETS = fileURLToPath(new URL('./static', import.meta.url));
/** Cytoscape.js, for the actor network, served from this origin like YASGUI. */
const CYTOSCAPE_BUILD = dirname(require.resolve('cytoscape/dist/cytoscape.min.js'));

export function queryPageRoutes(queries: SavedQuery[]): Router {
  const router = express.Router();
  router.use('/ui/yasgui', express.static(YASGUI_BUILD, { maxAge: '1d', index: false }));
  router.use('/ui', express.static(OWN_ASSETS, { maxAge: '1h', index: false }));
  router.use('/ui/vendor', express.static(CYTOSCAPE_BUILD, { maxAge: '1d', index: false }));
  const body = queryPage(queries);
  router.get('/', (_req, res) => {
    res.type('html').send(body);
  });
  return router;
}

function queryPage(queries: SavedQuery[]): string {
  const examples = queries.map((q) => ({ name: q.name, title: q.title, description: q.description, query: q.query }));
  // JSON inside <script type="application/json">: "<" is escaped so no text can close the element.
  const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
  return page('Query', html`
<div class="query-layout">
  <aside class="examples">
    <h2>Examples</h2>
    <ul>${examples.map((example) => html`<li><button type="button" class="example" data-name="${example.name}" title="${example.description}">${example.title}</button></li>`)}</ul>
  </aside>
  <main><div id="yasgui"></div></main>
</div>
<script type="application/json" id="examples">${new Html(json(examples))}</script>
<script type="application/json" id="prefixes">${new Html(json(PREFIXES))}</script>
<script src="/ui/yasgui/yasgui.min.js"></script>
<script src="/ui/graph-plugin.js"></script>
<script src="/ui/query-page.js"></script>
`, html`<link rel="stylesheet" href="/ui/yasgui/yasgui.min.css"><link rel="stylesheet" href="/ui/query-page.css">`);
}
