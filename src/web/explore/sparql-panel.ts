// Each view shows the SPARQL it ran, with a link that opens it in the query page.

import { html, type Html } from '../views/html.ts';

export interface ShownQuery {
  title: string;
  query: string;
}

export function queriesPanel(queries: ShownQuery[]): Html {
  return html`<section class="queries" aria-label="The SPARQL behind this page">
<h2>The queries behind this page</h2>
${queries.map((q) => html`<details><summary>${q.title}</summary><pre><code>${q.query.trim()}</code></pre>
<p><a href="/?query=${encodeURIComponent(q.query.trim())}">Open in the query page</a></p></details>`)}
</section>`;
}

/** SPARQL prefixes the views' queries use. */
export const VIEW_PREFIXES = `PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <http://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX dip: <https://w3id.org/diplomacy-kg/ns#>
`;
