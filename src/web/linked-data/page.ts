// The HTML page of one resource: label, types, every property with its evidence sentences,
// sub-events in date order, and incoming links.

import { PREFIXES } from '../../core/namespaces.ts';
import type { ResourceDescription, Fact, Evidence } from './describe.ts';
import { html, page, shortName, termHtml, hrefOf, type Html } from '../views/html.ts';
import { networkHtml, networkScripts, type Network } from '../explore/network.ts';
import { sentenceHref } from '../explore/links.ts';
import { mentionsHtml, type Mention } from '../explore/mentions.ts';

const RDF_TYPE = `${PREFIXES.rdf}type`;
const RDFS_LABEL = `${PREFIXES.rdfs}label`;

export function resourcePage(description: ResourceDescription, baseIri: string, dataPath: string, extras: { network?: Network; mentions?: Mention[] } = {}): string {
  const { network, mentions = [] } = extras;
  const { iri, outgoing, incoming, labels, subEvents } = description;
  const label = outgoing.find((f) => f.predicate.value === RDFS_LABEL)?.object.value ?? shortName(iri);
  const types = outgoing.filter((f) => f.predicate.value === RDF_TYPE);
  const properties = groupByPredicate(outgoing.filter((f) => f.predicate.value !== RDF_TYPE));
  const term = (t: Fact['object']) => termHtml(t, labels, baseIri);

  const body = html`
<h1>${label}</h1>
<p class="iri">${iri}</p>
<p>As data: ${['ttl', 'jsonld', 'nt', 'rdf', 'trig'].map((ext, i) => html`${i > 0 ? ' · ' : ''}<a href="${dataPath}.${ext}">${ext}</a>`)}</p>
<p class="types">${types.map((f) => term(f.object))}</p>
<h2>Properties</h2>
<table>
${[...properties].map(([predicate, facts]) => html`<tr><th>${term(facts[0]!.predicate)}</th><td>${facts.map((fact) => html`<div>${term(fact.object)}${evidenceHtml(fact.evidence, baseIri)}</div>`)}</td></tr>`)}
</table>
${subEvents.length > 0 ? html`<h2>Sub-events</h2>
<ol class="sub-events">${subEvents.map((event) => html`<li>${event.date ?? html`<span class="muted">no date of its own</span>`} — <a href="${hrefOf(event.iri, baseIri)}">${event.label ?? shortName(event.iri)}</a></li>`)}</ol>` : ''}
${incoming.length > 0 ? html`<h2>Links to this resource</h2>
<table class="incoming">
${incoming.map((fact) => html`<tr><td>${term(fact.subject)}</td><td>${term(fact.predicate)}</td></tr>`)}
</table>` : ''}
${mentionsHtml(mentions, baseIri)}
${network && network.edges.length > 0 ? html`<h2>Network</h2>
<p><a href="/network?focus=${encodeURIComponent(iri)}">The network around ${label}</a>, one or two steps out.</p>
${networkHtml(network, `Links of ${label}`)}` : ''}
`;
  return page(label, body, network && network.edges.length > 0 ? networkScripts() : html``);
}

/** Where a fact comes from: the sentences that state it, quoted, or the graph that holds it. */
function evidenceHtml(evidence: Evidence[], baseIri: string): Html {
  const quoted = evidence.filter((e) => e.text);
  const others = evidence.filter((e) => !e.text);
  return html`${quoted.map((e) => html`<blockquote class="evidence">“${e.text!}” <a class="iri" href="${sentenceHref(e.sentence!, baseIri)}">in the text</a></blockquote>`)}${others.length > 0 && quoted.length === 0
    ? html`<div class="muted">${others.map((e) => html`<span>from <a href="${hrefOf(e.graph, baseIri)}">${graphName(e.graph, baseIri)}</a> </span>`)}</div>`
    : ''}`;
}

function graphName(graph: string, baseIri: string): string {
  if (graph === `${baseIri}graph/inferred`) return 'inferred from the ontology';
  return graph.startsWith(baseIri) ? graph.slice(baseIri.length) : graph;
}

function groupByPredicate(facts: Fact[]): Map<string, Fact[]> {
  const groups = new Map<string, Fact[]>();
  const order = (f: Fact) => (f.predicate.value === RDFS_LABEL ? '' : f.predicate.value);
  for (const fact of [...facts].sort((a, b) => order(a).localeCompare(order(b)))) {
    const group = groups.get(fact.predicate.value);
    if (group) group.push(fact);
    else groups.set(fact.predicate.value, [fact]);
  }
  return groups;
}
