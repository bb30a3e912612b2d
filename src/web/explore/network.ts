// The actor network: who attended, organized, spoke at, chaired, adopted or signed what, as the
// neighbourhood of one entity (one or two steps), never the whole graph. Drawn in the browser by
// Cytoscape.js (served from this server) from data in the page; the same edges as a table for
// people without JavaScript or a pointer.

import { iriRef, selectRows, type JsonRow } from '../../engine/select-rows.ts';
import type { Engine } from '../../engine/engine.ts';
import { Html, hrefOf, html, localName, page } from '../views/html.ts';
import { queriesPanel, VIEW_PREFIXES, type ShownQuery } from './sparql-panel.ts';

export interface NetworkNode {
  id: string;
  label: string;
  href: string;
  focus?: boolean;
}

export interface NetworkEdge {
  source: string;
  target: string;
  label: string;
}

export interface Network {
  focus: string;
  nodes: NetworkNode[];
  edges: NetworkEdge[];
  queries: ShownQuery[];
}

/** Edges at most, so that a hub's neighbourhood stays readable and cheap. */
const MAX_EDGES = 150;
/** The kinds of things the network shows: actors, events, actions, documents, places, posts, topics. */
const NODE_CLASSES = 'schema:Person org:Organization foaf:Group schema:Event schema:Action dip:DiplomaticDocument dip:DocumentSet schema:Place org:Post dip:Topic';

export async function networkAround(engine: Engine, focus: string, hops: 1 | 2, baseIri: string, maxResultBytes: number): Promise<Network> {
  const first: ShownQuery = { title: 'Links of the entity', query: edgesSparql([iriRef(focus)], true) };
  const firstRows = await selectRows(engine, first.query, maxResultBytes);
  const queries = [first];
  const rows = [...firstRows];
  if (hops === 2) {
    const neighbours = [...new Set(firstRows.flatMap((row) => [row.s!.value, row.o!.value]))].filter((iri) => iri !== focus).slice(0, 40);
    if (neighbours.length > 0) {
      // Outgoing links only: a council or a city is the object of thousands of links at scale.
      const second: ShownQuery = { title: 'Links from its neighbours', query: edgesSparql(neighbours.map((iri) => `<${iri}>`), false) };
      queries.push(second);
      rows.push(...(await selectRows(engine, second.query, maxResultBytes)));
    }
  }
  return { focus, ...graphOf(rows, focus, baseIri), queries };
}

/** The most connected event: where the network starts when no entity is asked for. */
export async function defaultFocus(engine: Engine, maxResultBytes: number): Promise<string | undefined> {
  const rows = await selectRows(engine, `${VIEW_PREFIXES}SELECT ?event (COUNT(*) AS ?links) WHERE { ?event a schema:Event ; schema:attendee|schema:organizer ?x } GROUP BY ?event ORDER BY DESC(?links) LIMIT 1`, maxResultBytes);
  return rows[0]?.event?.value;
}

function edgesSparql(entities: string[], incoming: boolean): string {
  const values = entities.join(' ');
  return `${VIEW_PREFIXES}SELECT DISTINCT ?s ?p ?o ?sLabel ?pLabel ?oLabel WHERE {
  { VALUES ?s { ${values} } ?s ?p ?o }${incoming ? ` UNION { VALUES ?o { ${values} } ?s ?p ?o }` : ''}
  FILTER (isIRI(?o) && ?s != ?o && ?p != rdf:type)
  FILTER EXISTS { VALUES ?class { ${NODE_CLASSES} } ?s a ?class }
  FILTER EXISTS { VALUES ?class { ${NODE_CLASSES} } ?o a ?class }
  ?s rdfs:label ?sLabel . ?o rdfs:label ?oLabel .
  OPTIONAL { ?p rdfs:label ?pLabel }
} LIMIT ${MAX_EDGES}`;
}

function graphOf(rows: JsonRow[], focus: string, baseIri: string): Pick<Network, 'nodes' | 'edges'> {
  const nodes = new Map<string, NetworkNode>();
  const edges = new Map<string, NetworkEdge>();
  const node = (iri: string, label: string) => {
    if (!nodes.has(iri)) nodes.set(iri, { id: iri, label, href: hrefOf(iri, baseIri), ...(iri === focus ? { focus: true } : {}) });
  };
  for (const row of rows) {
    if (edges.size >= MAX_EDGES * 2) break;
    node(row.s!.value, row.sLabel!.value);
    node(row.o!.value, row.oLabel!.value);
    const label = row.pLabel?.value ?? localName(row.p!.value);
    edges.set(`${row.s!.value} ${row.p!.value} ${row.o!.value}`, { source: row.s!.value, target: row.o!.value, label });
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** The diagram (drawn by /ui/network.js) and the table of the same links. */
export function networkHtml(network: Network, caption: string): Html {
  const labels = new Map(network.nodes.map((node) => [node.id, node]));
  const data = JSON.stringify({ focus: network.focus, nodes: network.nodes, edges: network.edges }).replace(/</g, '\\u003c');
  return html`<section class="network" aria-label="${caption}">
<div id="network-graph" class="network-graph" role="img" aria-label="${caption}: ${network.nodes.length} entities and ${network.edges.length} links, listed in the table below"></div>
<script type="application/json" id="network-data">${new Html(data)}</script>
<table class="network-table"><caption>${caption}</caption>
<thead><tr><th scope="col">from</th><th scope="col">link</th><th scope="col">to</th></tr></thead>
<tbody>${network.edges.map((edge) => html`<tr><td><a href="${labels.get(edge.source)!.href}">${labels.get(edge.source)!.label}</a></td><td>${edge.label}</td><td><a href="${labels.get(edge.target)!.href}">${labels.get(edge.target)!.label}</a></td></tr>`)}</tbody>
</table>
</section>`;
}

export function networkPage(network: Network, focusLabel: string, hops: 1 | 2): string {
  const otherHops = hops === 1 ? 2 : 1;
  const body = html`
<h1>Network around ${focusLabel}</h1>
<p>${network.nodes.length} entities, ${network.edges.length} links, ${hops} step${hops === 2 ? 's' : ''} from <a href="${network.nodes.find((n) => n.focus)?.href ?? '#'}">${focusLabel}</a> ·
  <a href="/network?focus=${encodeURIComponent(network.focus)}&amp;hops=${otherHops}">${otherHops} step${otherHops === 2 ? 's' : ''}</a>.
  Select an entity in the diagram or the table to go to its page.</p>
${networkHtml(network, `Links around ${focusLabel}`)}
${queriesPanel(network.queries)}`;
  return page(`Network around ${focusLabel}`, body, networkScripts());
}

/**
 * The scripts of a page with a network, and the stylesheet Cytoscape.js would otherwise inject
 * inline (it looks for this id first): the CSP allows no inline style.
 */
export function networkScripts(): Html {
  return html`<link rel="stylesheet" id="__________cytoscape_stylesheet" href="/ui/network.css">
<script src="/ui/vendor/cytoscape.min.js" defer></script><script src="/ui/network.js" defer></script>`;
}
